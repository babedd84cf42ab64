import { statSync } from 'node:fs';
import type { WholeFileCheckpoint } from '../../schema/checkpoints.ts';
import type { StoreName } from '../../schema/stores.ts';
import type { RunContext } from './context.ts';
import { RACY_MS } from './dir-listing.ts';
import { contentHash } from './hash.ts';
import { readSmallFile, readWithStat } from './small-file.ts';

/** Whole-file stores are small (the largest, memories.json, grows by about 1 KB per task). */
export const MAX_FILE = 64 << 20;
/**
 * A file this young that does not parse may be mid-write (capabilities.json is not written
 * atomically): it is left for a later run. The event bus waits as long.
 */
export const SETTLE_MS = 5_000;

export type WholeRead =
  | { status: 'missing' }
  | { status: 'unchanged'; cp: WholeFileCheckpoint }
  | { status: 'changed'; text: string; cp: WholeFileCheckpoint; previous: WholeFileCheckpoint | undefined };

/**
 * Reads a file that is rewritten whole, when its size, mtime or content changed since `cp`. The
 * returned checkpoint carries the new size, mtime and hash; the caller adds what it needs to emit
 * only what is new. A file over the size bound is skipped, and not reported again until it changes.
 */
export async function readWhole(
  ctx: RunContext,
  store: StoreName,
  rel: string,
  cp: WholeFileCheckpoint | undefined,
  maxBytes = MAX_FILE,
): Promise<WholeRead> {
  const path = ctx.abs(rel);
  const stats = ctx.stats[store];
  let size: number;
  let mtimeMs: number;
  let bytes: Buffer | undefined;
  if (cp) {
    // Known before: a stat decides, and most files have not changed.
    let st: import('node:fs').Stats;
    try {
      st = statSync(path);
    } catch {
      return { status: 'missing' };
    }
    if (!st.isFile()) return { status: 'missing' };
    stats.present = true;
    stats.files += 1;
    if (cp.size === st.size && cp.mtimeMs === st.mtimeMs && !cp.racy) return { status: 'unchanged', cp };
    ({ size, mtimeMs } = st);
  } else {
    // New: it is read anyway, so the stat comes from the open file.
    const f = readWithStat(path, maxBytes);
    if (f === 'missing') return { status: 'missing' };
    stats.present = true;
    stats.files += 1;
    ({ size, mtimeMs, bytes } = f);
  }
  const { racy: _, ...before } = cp ?? { kind: 'whole', hash: '' };
  if (size > maxBytes) {
    ctx.problem(store, rel, undefined, `file larger than ${maxBytes} bytes`);
    return { status: 'unchanged', cp: { ...before, size, mtimeMs } };
  }
  stats.bytesTotal += size;
  if (!bytes) {
    const read = readSmallFile(path, maxBytes);
    // Gone or grown past the bound since the stat: the next run looks again.
    if (typeof read === 'string') return { status: 'missing' };
    bytes = read;
  }
  ctx.progress(store, bytes.length);
  const hash = contentHash(bytes);
  const next: WholeFileCheckpoint = { ...before, kind: 'whole', size, mtimeMs, hash };
  // Rewritten within a clock tick of this read, the file could keep its size and mtime: look again.
  if (ctx.now - mtimeMs < RACY_MS) next.racy = true;
  if (cp && cp.hash === hash) return { status: 'unchanged', cp: next };
  return { status: 'changed', text: bytes.toString('utf8'), cp: next, previous: cp };
}

/**
 * JSON.parse that reports a malformed file once. A young file that does not parse is left for the
 * next run instead (it may be mid-write): the caller then keeps its old checkpoint.
 */
export function parseWholeJson(
  ctx: RunContext,
  store: StoreName,
  rel: string,
  r: Extract<WholeRead, { status: 'changed' }>,
): { value: unknown } | 'retry' | 'bad' {
  try {
    return { value: JSON.parse(r.text) };
  } catch {
    if (ctx.now - r.cp.mtimeMs < SETTLE_MS) return 'retry';
    ctx.problem(store, rel, undefined, 'not valid JSON');
    return 'bad';
  }
}

/** What a caller of readChanged/readWholeJson has to handle: a changed file (parsed, for JSON). */
export type Changed = Extract<WholeRead, { status: 'changed' }>;

/**
 * readWhole against the checkpoint this run holds for `rel`; an unchanged file keeps its checkpoint
 * here, so callers only handle a missing or a changed file.
 */
export async function readChanged(
  ctx: RunContext,
  store: StoreName,
  rel: string,
  maxBytes = MAX_FILE,
): Promise<WholeRead> {
  const old = ctx.files.get(rel);
  const r = await readWhole(ctx, store, rel, old?.kind === 'whole' ? old : undefined, maxBytes);
  if (r.status === 'unchanged') ctx.files.set(rel, r.cp);
  return r;
}

export type JsonRead =
  | { status: 'missing' }
  /** Nothing to emit: unchanged (checkpoint kept), or young and not parsable yet (old checkpoint kept). */
  | { status: 'unchanged' | 'retry'; cp: WholeFileCheckpoint }
  | { status: 'changed'; r: Changed; parsed: { value: unknown } | 'bad' };

/** readChanged, then parseWholeJson: the start of every reader of a rewritten JSON file. */
export async function readWholeJson(
  ctx: RunContext,
  store: StoreName,
  rel: string,
  maxBytes = MAX_FILE,
): Promise<JsonRead> {
  const r = await readChanged(ctx, store, rel, maxBytes);
  if (r.status !== 'changed') return r;
  const parsed = parseWholeJson(ctx, store, rel, r);
  return parsed === 'retry' ? { status: 'retry', cp: r.cp } : { status: 'changed', r, parsed };
}
