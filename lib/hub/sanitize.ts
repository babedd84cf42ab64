import { ExportV1 } from '../../schema/export-v1.ts';
import { PythonExport } from '../../schema/python-export-1.0.ts';
import type { Problem } from './rejection.ts';

/**
 * What of a rejected submission the hub may keep: pointers made only of the export formats' own
 * field names and of indexes, and messages cut before the value valibot quotes ("… but received
 * "AKIA…""), with any other quoted text masked. Any other segment (an unknown key, a label: either
 * could be the very secret) becomes `~?`. Bounded in count and length.
 */
export function safeProblems(problems: readonly Problem[], max = 20): Problem[] {
  return problems
    .slice(0, max)
    .map((p) => ({ pointer: safePointer(p.pointer), message: safeMessage(p.message) }));
}

const FIELD_NAMES: ReadonlySet<string> = collectFieldNames([ExportV1, PythonExport]);

export function safePointer(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .split('/')
    .slice(1, 13)
    .map((s) => (/^\d{1,6}$/.test(s) || FIELD_NAMES.has(s) ? `/${s}` : '/~?'))
    .join('');
}

/** The message without the submitted value valibot appends; for the submitter's own eyes. */
export function withoutReceived(message: string): string {
  const cut = message.replace(/\s+but received\b[\s\S]*$/i, '');
  return cut.length > 300 ? `${cut.slice(0, 299)}…` : cut;
}

export function safeMessage(message: string): string {
  const clean = withoutReceived(message)
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"..."')
    .replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 160 ? `${clean.slice(0, 157)}...` : clean;
}

/** Every object key the schemas declare, found by walking the valibot schema objects. */
function collectFieldNames(schemas: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (s: unknown) => {
    if (!s || typeof s !== 'object' || seen.has(s)) return;
    seen.add(s);
    const o = s as Record<string, unknown>;
    if (o.entries && typeof o.entries === 'object') {
      for (const [k, child] of Object.entries(o.entries as Record<string, unknown>)) {
        names.add(k);
        walk(child);
      }
    }
    for (const k of ['item', 'value', 'wrapped']) walk(o[k]);
    if (Array.isArray(o.items)) for (const x of o.items) walk(x);
    if (Array.isArray(o.options)) for (const x of o.options) walk(x);
  };
  for (const s of schemas) walk(s);
  return names;
}
