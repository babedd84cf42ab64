import { readFileSync, statSync } from 'node:fs';
import type { WholeFileCheckpoint } from '../../schema/checkpoints.ts';
import type { StoreName } from '../../schema/stores.ts';
import type { RunContext } from './context.ts';
import { contentHash } from './hash.ts';

/** Whole-file stores are small (the largest, memories.json, grows by about 1 KB per task). */
export const MAX_FILE = 64 << 20;
/** A file this young that does not parse may be mid-write (capabilities.json is not written atomically). */
const SETTLE_MS = 5_000;

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
  let st: import('node:fs').Stats;
  try {
    st = statSync(ctx.abs(rel));
  } catch {
    return { status: 'missing' };
  }
  if (!st.isFile()) return { status: 'missing' };
  const stats = ctx.stats[store];
  stats.present = true;
  stats.files += 1;
  if (cp && cp.size === st.size && cp.mtimeMs === st.mtimeMs) return { status: 'unchanged', cp };
  if (st.size > maxBytes) {
    ctx.problem(store, rel, undefined, `file larger than ${maxBytes} bytes`);
    return {
      status: 'unchanged',
      cp: { ...(cp ?? { kind: 'whole', hash: '' }), size: st.size, mtimeMs: st.mtimeMs },
    };
  }
  stats.bytesTotal += st.size;
  let bytes: Buffer;
  try {
    bytes = readFileSync(ctx.abs(rel));
  } catch {
    return { status: 'missing' };
  }
  ctx.progress(store, bytes.length);
  const hash = contentHash(bytes);
  const next: WholeFileCheckpoint = {
    ...(cp ?? {}),
    kind: 'whole',
    size: st.size,
    mtimeMs: st.mtimeMs,
    hash,
  };
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
