import { isAbsolute, relative } from 'node:path';
import type { EditResult } from './install.ts';
import { blockItem, type OurHook } from './our-hooks.ts';
import { where } from './problem.ts';

/** A path as the user can click it from where they ran the command. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** `learning-collector (SessionEnd) and learning-collector-build (WorkflowComplete)`. */
export function hookList(items: readonly { event: string; name: string }[]): string {
  const parts = items.map((c) => `${c.name} (${c.event})`);
  return parts.length <= 1 ? (parts[0] ?? 'nothing') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** What to add by hand when the file's layout cannot be edited safely. */
export function manualSnippet(hooks: readonly OurHook[]): string {
  const lines = ['hooks:'];
  for (const h of hooks) lines.push(`  ${h.event}:`, ...blockItem(h, 4, 6));
  return lines.join('\n');
}

/** The lines that explain a refused edit: each problem at file:line, then what to do. */
export function refusal(r: Extract<EditResult, { ok: false }>, file: string, verb: string): string[] {
  const out = r.problems.map((p) => `${where(file, p)}: ${p.message}`);
  if (r.reason === 'invalid')
    out.push(
      `the framework cannot load this file either (every tapps-agents command fails on it). Fix it, ` +
        `then run ${verb} again. Nothing was changed.`,
    );
  else out.push(`${verb} edits only plain block or flow lists under hooks:. Nothing was changed.`);
  return out;
}
