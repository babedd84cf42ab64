import * as v from 'valibot';
import {
  HOOK_EVENTS,
  HOOK_KEYS,
  type HookDefinition,
  type HookEvent,
  HooksConfig,
} from '../../schema/hooks-yaml.ts';
import { type Layout, lineOf } from './layout.ts';
import type { Line } from './lines.ts';
import type { HooksYamlProblem } from './problem.ts';

export type HookLists = Partial<Record<HookEvent, HookDefinition[]>>;

export type Checked =
  | {
      ok: true;
      /** What the framework will run, booleans normalized; `{}` when there is no `hooks` key. */
      hooks: HookLists;
      hasHooksKey: boolean;
      /** `hooks:` with no value: the framework rejects it, but adding events repairs it. */
      nullHooks: boolean;
      /** Top-level keys besides `hooks` (allowed only while there is no `hooks` key). */
      otherKeys: string[];
    }
  | { ok: false; problems: HooksYamlProblem[] };

/**
 * Applies the framework's loading rules (`load_hooks_config`): an empty file or one without a
 * `hooks` key means no hooks; otherwise the file must match the pydantic models exactly.
 */
export function checkHooksDoc(doc: unknown, layout: Layout, text: string): Checked {
  if (doc === null || doc === undefined)
    return { ok: true, hooks: {}, hasHooksKey: false, nullHooks: false, otherKeys: [] };
  if (typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Date) {
    const first = layout.lines.findIndex((l) => l.kind === 'content');
    return {
      ok: false,
      problems: [
        {
          ...(first >= 0 ? { line: first + 1 } : {}),
          message: `the file must be a mapping with a "hooks" key, but it holds ${describe(doc)}`,
        },
      ],
    };
  }
  const root = doc as Record<string, unknown>;
  const otherKeys = Object.keys(root).filter((k) => k !== 'hooks');
  if (!Object.hasOwn(root, 'hooks'))
    return { ok: true, hooks: {}, hasHooksKey: false, nullHooks: false, otherKeys };
  const nullHooks = root.hooks === null;
  const parsed = v.safeParse(HooksConfig, nullHooks ? { ...root, hooks: {} } : root);
  if (parsed.success)
    return { ok: true, hooks: parsed.output.hooks, hasHooksKey: true, nullHooks, otherKeys };
  return { ok: false, problems: parsed.issues.map((issue) => toProblem(issue, layout, text)) };
}

function toProblem(issue: v.BaseIssue<unknown>, layout: Layout, text: string): HooksYamlProblem {
  const keys = (issue.path ?? []).map((p) => p.key as string | number);
  const last = issue.path?.at(-1);
  const at =
    keys.length > 0
      ? keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('')
      : '(top level)';
  const line = lineOfPath(layout, text, keys);
  let message: string;
  if (issue.type === 'strict_object' && last?.origin === 'key') {
    const key = String(last.key);
    message =
      keys.length === 1
        ? `top-level key "${key}" is not allowed next to "hooks" (the framework accepts only "hooks")`
        : `key "${key}" is not allowed in a hook; the framework accepts only ${HOOK_KEYS.join(', ')}`;
  } else if (last?.origin === 'key' && keys.length === 2) {
    message = `"${String(last.key)}" is not an event the framework knows (${HOOK_EVENTS.join(', ')})`;
  } else {
    const custom = issue.message !== '' && !issue.message.startsWith('Invalid');
    message = `${at}: expected ${custom ? issue.message : (issue.expected ?? 'another value')}, found ${issue.received}`;
  }
  return {
    ...(line !== undefined ? { line } : {}),
    message: message.startsWith(at) ? message : `${at}: ${message}`,
  };
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return 'a list';
  if (x instanceof Date) return 'a date';
  return `a ${typeof x}`;
}

/** 1-based line of `hooks.<event>[i].<key>` (or of the nearest part of it the layout knows). */
export function lineOfPath(
  layout: Layout,
  text: string,
  keys: readonly (string | number)[],
): number | undefined {
  const { lines, hooks } = layout;
  if (keys.length === 0) return undefined;
  if (keys[0] !== 'hooks') {
    const i = lines.findIndex(
      (l) =>
        l.indent === 0 &&
        l.kind === 'content' &&
        new RegExp(`^["']?${escapeRegExp(String(keys[0]))}["']?\\s*:`).test(text.slice(l.start, l.end)),
    );
    return i >= 0 ? i + 1 : undefined;
  }
  if (hooks.kind === 'absent' || hooks.kind === 'other') return undefined;
  const hooksLine = hooks.keyLine + 1;
  if (keys.length === 1 || hooks.kind === 'empty-flow') return hooksLine;
  const event = String(keys[1]);
  if (hooks.kind === 'flow') {
    const ev = hooks.events.find((e) => e.name === event);
    if (!ev) return hooksLine;
    const item =
      typeof keys[2] === 'number' && ev.seq.style === 'flow' ? ev.seq.flow.items[keys[2]] : undefined;
    return lineOf(lines, item?.start ?? ev.entry.start) + 1;
  }
  const ev = hooks.events.find((e) => e.name === event);
  if (!ev) return hooksLine;
  if (typeof keys[2] !== 'number') return ev.keyLine + 1;
  if (ev.seq.style === 'flow') {
    const item = ev.seq.flow.items[keys[2]];
    return item ? lineOf(lines, item.start) + 1 : ev.keyLine + 1;
  }
  if (ev.seq.style !== 'block') return ev.keyLine + 1;
  const item = ev.seq.items[keys[2]];
  if (!item) return ev.keyLine + 1;
  if (keys[3] === undefined) return item.dashLine + 1;
  const key = new RegExp(`^(- +)?["']?${escapeRegExp(String(keys[3]))}["']?\\s*:`);
  for (let i = item.dashLine; i <= item.lastLine; i++) {
    const l = lines[i] as Line;
    if (key.test(text.slice(l.start + l.indent, l.end))) return i + 1;
  }
  return item.dashLine + 1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
