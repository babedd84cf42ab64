import * as v from 'valibot';
import {
  AppendFileCheckpoint,
  CapabilityState,
  EventLogState,
  type FileCheckpoint,
  WholeFileCheckpoint,
} from '../../schema/checkpoints.ts';
import { PackError } from './pack-container.ts';

/**
 * One group's file checkpoints (file-group.ts) as JSON arrays, one per file, sorted by its path in
 * the group: `[path, "a", size, mtimeMs, offset, lines, head, headLen, extra?]` for an append-only
 * file, `[path, "w", size, mtimeMs, hash, extra?]` for a rewritten one, `[path, "d"]` for a finished one.
 * `extra` holds the rarer fields by name. Positions instead of keys: a third of the size, and the
 * common fields are checked by hand, faster than a schema over seventeen thousand objects.
 */

const APPEND_EXTRA = v.strictObject({
  eventLog: AppendFileCheckpoint.entries.eventLog,
  stories: AppendFileCheckpoint.entries.stories,
  racy: AppendFileCheckpoint.entries.racy,
});
const WHOLE_EXTRA = v.strictObject({
  n: WholeFileCheckpoint.entries.n,
  terminal: WholeFileCheckpoint.entries.terminal,
  capabilities: WholeFileCheckpoint.entries.capabilities,
  keys: WholeFileCheckpoint.entries.keys,
  racy: WholeFileCheckpoint.entries.racy,
});

/** The rarer fields, always in this order: the same checkpoint always packs to the same bytes. */
const APPEND_EXTRAS = Object.keys(APPEND_EXTRA.entries);
const WHOLE_EXTRAS = Object.keys(WHOLE_EXTRA.entries);

const EVENT_LOG_KEYS = Object.keys(EventLogState.entries);
const CAPABILITY_KEYS = Object.keys(CapabilityState.entries);

/** `o`'s defined fields in the order of `keys`. */
function ordered(o: object, keys: readonly string[]): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k of keys) {
    const value = (o as Record<string, unknown>)[k];
    if (value === undefined) continue;
    out ??= {};
    out[k] = value;
  }
  return out;
}

function extraOf(cp: FileCheckpoint, keys: readonly string[]): Record<string, unknown> | undefined {
  const extra = ordered(cp, keys);
  // Readers build these objects field by field in no fixed order: packed in the schema's order.
  if (extra?.eventLog) extra.eventLog = ordered(extra.eventLog as object, EVENT_LOG_KEYS);
  if (Array.isArray(extra?.capabilities))
    extra.capabilities = extra.capabilities.map((c: object) => ordered(c, CAPABILITY_KEYS));
  return extra;
}

function row(name: string, cp: FileCheckpoint): unknown[] {
  if (cp.kind === 'done') return [name, 'd'];
  if (cp.kind === 'append') {
    const r: unknown[] = [name, 'a', cp.size, cp.mtimeMs, cp.offset, cp.lines, cp.head, cp.headLen];
    const extra = extraOf(cp, APPEND_EXTRAS);
    if (extra) r.push(extra);
    return r;
  }
  const r: unknown[] = [name, 'w', cp.size, cp.mtimeMs, cp.hash];
  const extra = extraOf(cp, WHOLE_EXTRAS);
  if (extra) r.push(extra);
  return r;
}

/** JSON text of one group's entries (path in the group → checkpoint), in path order. */
export function encodeGroup(entries: Iterable<[string, FileCheckpoint]>): string {
  const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify(sorted.map(([name, cp]) => row(name, cp)));
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function bad(dir: string, i: number, what: string): never {
  throw new PackError(`files of ${dir || '.'}, entry ${i}: ${what}`);
}

/** The rarer fields, checked by their schema; undefined when they do not fit it. */
function extraFields(
  extra: unknown,
  schema: typeof APPEND_EXTRA | typeof WHOLE_EXTRA,
): Record<string, unknown> | undefined {
  if (extra === undefined) return {};
  const parsed = v.safeParse(schema, extra);
  if (!parsed.success) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(parsed.output)) if (value !== undefined) out[k] = value;
  return out;
}

function entry(r: unknown[]): FileCheckpoint | undefined {
  if (r[1] === 'd') return r.length === 2 ? { kind: 'done' } : undefined;
  if (r[1] === 'a' && (r.length === 8 || r.length === 9)) {
    const [, , size, mtimeMs, offset, lines, head, headLen] = r;
    const extra = extraFields(r[8], APPEND_EXTRA);
    if (!isCount(size) || !isTime(mtimeMs) || !isCount(offset) || !isCount(lines)) return undefined;
    if (typeof head !== 'string' || !isCount(headLen) || !extra) return undefined;
    return { kind: 'append', size, mtimeMs, offset, lines, head, headLen, ...extra };
  }
  if (r[1] === 'w' && (r.length === 5 || r.length === 6)) {
    const [, , size, mtimeMs, hash] = r;
    const extra = extraFields(r[5], WHOLE_EXTRA);
    if (!isCount(size) || !isTime(mtimeMs) || typeof hash !== 'string' || !extra) return undefined;
    return { kind: 'whole', size, mtimeMs, hash, ...extra };
  }
  return undefined;
}

/** Parses what encodeGroup wrote; anything else is a PackError naming the entry. */
export function decodeGroup(rows: unknown, dir: string): Map<string, FileCheckpoint> {
  if (!Array.isArray(rows)) bad(dir, 0, 'not a list');
  const out = new Map<string, FileCheckpoint>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as unknown[];
    if (!Array.isArray(r) || typeof r[0] !== 'string' || r[0] === '') bad(dir, i, 'no file name');
    const name = r[0];
    const cp = entry(r);
    if (!cp) bad(dir, i, `a malformed ${String(r[1])} checkpoint`);
    if (out.has(name)) bad(dir, i, `${name} twice`);
    out.set(name, cp);
  }
  return out;
}
