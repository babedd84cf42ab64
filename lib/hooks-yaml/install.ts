import type { HookDefinition, HookEvent } from '../../schema/hooks-yaml.ts';
import { type Edited, insertHook, removeHook, replaceHook, tidyEmptyHooks } from './edit.ts';
import { COLLECTOR_HOOKS, isOurs, type OurHook } from './our-hooks.ts';
import type { HooksYamlProblem } from './problem.ts';
import { type Read, readHooksYaml, verifyEdit } from './read.ts';
import type { HookLists } from './validate.ts';
import { lineOfPath } from './validate.ts';

export type HookChange = 'added' | 'updated' | 'unchanged' | 'removed';

export type EditResult =
  | {
      ok: true;
      text: string;
      changed: boolean;
      changes: { event: HookEvent; name: string; change: HookChange }[];
      notes: string[];
    }
  | {
      ok: false;
      problems: HooksYamlProblem[];
      /** `invalid`: the file as it is breaks the framework; `unsupported`: valid, but not editable here. */
      reason: 'invalid' | 'unsupported';
    };

function asDefinition(h: OurHook): HookDefinition {
  return { name: h.name, command: h.command, enabled: true, fail_on_error: false };
}

/** Whether an existing entry already does exactly what ours would (defaults filled in). */
function sameHook(d: HookDefinition, h: OurHook): boolean {
  return (
    d.command === h.command &&
    (d.enabled ?? true) === true &&
    (d.fail_on_error ?? false) === false &&
    d.matcher == null &&
    d.file_patterns == null
  );
}

function fail(problems: HooksYamlProblem[], reason: 'invalid' | 'unsupported'): EditResult {
  return { ok: false, problems, reason };
}

/** Re-reads the text after each edit: later edits work on the new layout. */
function step(edited: Edited): { text: string; read: Extract<Read, { ok: true }> } | HooksYamlProblem {
  if (!edited.ok) return edited.problem;
  const read = readHooksYaml(edited.text);
  if (!read.ok) return { message: `an edit made the file invalid: ${read.problems[0]?.message ?? ''}` };
  return { text: edited.text, read };
}

/**
 * Adds our hooks to a hooks.yaml text (pure: text in, text out). For each hook: none of ours yet
 * → appended to its event's list (the event and the `hooks` key are created when missing); one
 * that differs (an older command, disabled) → rewritten in place; extra copies → removed. Every
 * other byte stays. A second install finds nothing to do and returns the text unchanged.
 */
export function installHooks(text: string, ours: readonly OurHook[]): EditResult {
  const start = readHooksYaml(text);
  if (!start.ok) return fail(start.problems, 'invalid');
  if (!start.hasHooksKey && start.otherKeys.length > 0) {
    const key = start.otherKeys[0] as string;
    const line = lineOfPath(start.layout, text, [key]);
    return fail(
      [
        {
          ...(line !== undefined ? { line } : {}),
          message:
            `top-level key "${key}": once the file has a "hooks" key the framework accepts no other top-level ` +
            'key (it ignores this file today only because there is none)',
        },
      ],
      'invalid',
    );
  }
  const notes: string[] = [];
  if (start.nullHooks)
    notes.push('"hooks:" had no value, which the framework rejects; it now holds the collector hooks');
  let text2 = text;
  let read = start;
  const changes: Extract<EditResult, { ok: true }>['changes'] = [];
  const expected: HookLists = structuredClone(start.hooks);
  for (const hook of ours) {
    const list = read.hooks[hook.event] ?? [];
    const mine = list.flatMap((d, i) => (d.name === hook.name ? [i] : []));
    // Extra copies go first, from the last, so the first one keeps its index.
    for (const i of mine.slice(1).reverse()) {
      const s = step(removeHook(text2, read.layout, hook.event, i));
      if (!('read' in s)) return fail([s], 'unsupported');
      ({ text: text2, read } = s);
    }
    const want = expected[hook.event] ?? [];
    const wanted = want.filter(
      (d, i) => d.name !== hook.name || i === want.findIndex((x) => x.name === hook.name),
    );
    const first = mine[0];
    if (first === undefined) {
      const s = step(insertHook(text2, read.layout, hook));
      if (!('read' in s)) return fail([s], 'unsupported');
      ({ text: text2, read } = s);
      wanted.push(asDefinition(hook));
      changes.push({ event: hook.event, name: hook.name, change: 'added' });
    } else if (sameHook(list[first] as HookDefinition, hook)) {
      changes.push({ event: hook.event, name: hook.name, change: mine.length > 1 ? 'updated' : 'unchanged' });
    } else {
      const s = step(replaceHook(text2, read.layout, hook.event, first, hook));
      if (!('read' in s)) return fail([s], 'unsupported');
      ({ text: text2, read } = s);
      wanted[wanted.findIndex((d) => d.name === hook.name)] = asDefinition(hook);
      changes.push({ event: hook.event, name: hook.name, change: 'updated' });
    }
    expected[hook.event] = wanted;
  }
  const problems = verifyEdit(text2, expected);
  if (problems.length > 0) return fail(problems, 'unsupported');
  return { ok: true, text: text2, changed: text2 !== text, changes, notes };
}

/**
 * Removes exactly our hooks (by event and name, whatever their command), and the event keys and
 * `hooks` key that only held them, in the layout install-hooks wrote them. Every other byte stays.
 */
export function uninstallHooks(text: string): EditResult {
  const start = readHooksYaml(text);
  if (!start.ok) return fail(start.problems, 'invalid');
  let text2 = text;
  let read = start;
  const changes: Extract<EditResult, { ok: true }>['changes'] = [];
  const expected: HookLists = {};
  for (const [event, list] of Object.entries(start.hooks) as [HookEvent, HookDefinition[]][])
    expected[event] = list.filter((d) => !isOurs(event, d.name));
  for (;;) {
    let found: { event: HookEvent; index: number; name: string } | null = null;
    for (const h of COLLECTOR_HOOKS) {
      const index = (read.hooks[h.event] ?? []).findIndex((d) => d.name === h.name);
      if (index >= 0) {
        found = { event: h.event, index, name: h.name };
        break;
      }
    }
    if (!found) break;
    const s = step(removeHook(text2, read.layout, found.event, found.index));
    if (!('read' in s)) return fail([s], 'unsupported');
    ({ text: text2, read } = s);
    changes.push({ event: found.event, name: found.name, change: 'removed' });
  }
  if (changes.length > 0) text2 = tidyEmptyHooks(text2);
  const problems = verifyEdit(text2, expected);
  if (problems.length > 0) return fail(problems, 'unsupported');
  return { ok: true, text: text2, changed: text2 !== text, changes, notes: [] };
}
