import { isDeepStrictEqual } from 'node:util';
import type { HookDefinition, HookEvent } from '../../schema/hooks-yaml.ts';
import { type Layout, scanLayout } from './layout.ts';
import { parseHooksYaml } from './parse.ts';
import type { HooksYamlProblem } from './problem.ts';
import { checkHooksDoc, type HookLists } from './validate.ts';

export type Read =
  | {
      ok: true;
      layout: Layout;
      hooks: HookLists;
      hasHooksKey: boolean;
      nullHooks: boolean;
      otherKeys: string[];
    }
  | { ok: false; problems: HooksYamlProblem[]; kind: 'yaml' | 'schema' };

/** Parses and checks a hooks.yaml text the way the framework will, and maps its layout. */
export function readHooksYaml(text: string): Read {
  const layout = scanLayout(text);
  const parsed = parseHooksYaml(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem], kind: 'yaml' };
  const checked = checkHooksDoc(parsed.doc, layout, text);
  if (!checked.ok) return { ok: false, problems: checked.problems, kind: 'schema' };
  const { ok: _, ...rest } = checked;
  return { ok: true, layout, ...rest };
}

/** A hook with the framework's defaults filled in, so equal meaning compares equal. */
function normalized(h: HookDefinition): Required<HookDefinition> {
  return {
    name: h.name,
    command: h.command,
    enabled: h.enabled ?? true,
    matcher: h.matcher ?? null,
    file_patterns: h.file_patterns ?? null,
    fail_on_error: h.fail_on_error ?? false,
  };
}

/** Events with their normalized hooks; an empty list means the same as no list. */
export function meaning(hooks: HookLists): Record<string, Required<HookDefinition>[]> {
  const out: Record<string, Required<HookDefinition>[]> = {};
  for (const [event, list] of Object.entries(hooks) as [HookEvent, HookDefinition[]][])
    if (list.length > 0) out[event] = list.map(normalized);
  return out;
}

/**
 * The edited text must parse, pass the framework's rules, and mean exactly `expected`. This is
 * what makes the text editing safe: a layout the scanner misread ends here, never on disk.
 */
export function verifyEdit(text: string, expected: HookLists): HooksYamlProblem[] {
  const r = readHooksYaml(text);
  if (!r.ok)
    return r.problems.map((p) => ({ ...p, message: `the edited file would be invalid: ${p.message}` }));
  if (!isDeepStrictEqual(meaning(r.hooks), meaning(expected)))
    return [
      {
        message: 'the edited file would not hold exactly the expected hooks (an unusual layout was misread)',
      },
    ];
  return [];
}
