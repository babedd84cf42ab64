import { closeSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import type { AppendFileCheckpoint } from '../../schema/checkpoints.ts';
import type { StoreName } from '../../schema/stores.ts';
import type { RunContext } from './context.ts';
import { RACY_MS } from './dir-listing.ts';
import { contentHash } from './hash.ts';
import { OPEN_FLAGS, openRegularFile } from './small-file.ts';

const CHUNK = 1 << 20;
/** A longer line is not a record the framework writes; it is skipped instead of filling memory. */
export const MAX_LINE = 8 << 20;
const HEAD = 1024;

export interface AppendHandlers {
  /** Called once before the first line; `fresh` when reading from the start (new, replaced, truncated). */
  onStart?: (fresh: boolean) => void;
  onLine: (text: string, line: number) => void | Promise<void>;
  /** Lines starting with these bytes are counted but neither decoded nor parsed (records no reader uses). */
  skip?: Buffer;
}

/**
 * The file's stat, and its open descriptor when it is new: a known file is stat'ed first (most
 * followed files have not grown); a new one is read anyway, so it is opened at once.
 */
function openFollowed(
  path: string,
  cp: AppendFileCheckpoint | undefined,
): { st: Stats; fd?: number } | undefined {
  if (!cp) return openRegularFile(path);
  try {
    const st = statSync(path);
    return st.isFile() ? { st } : undefined;
  } catch {
    return undefined;
  }
}

function headOf(fd: number, len: number): string {
  const b = Buffer.alloc(len);
  const bytesRead = readSync(fd, b, 0, len, 0);
  return contentHash(b.subarray(0, bytesRead));
}

/**
 * Reads the complete lines an append-only file gained since its checkpoint and returns the new
 * checkpoint (undefined when the file is gone). A last line without its newline is left for the next
 * run. A file that shrank or whose first bytes changed was replaced or rotated: it is read again from
 * the start. Bytes appended while reading are left for the next run (the size is taken first).
 */
export async function followAppend(
  ctx: RunContext,
  store: StoreName,
  rel: string,
  cp: AppendFileCheckpoint | undefined,
  h: AppendHandlers,
): Promise<AppendFileCheckpoint | undefined> {
  const path = ctx.abs(rel);
  const opened = openFollowed(path, cp);
  if (!opened) return undefined;
  const { st } = opened;
  const stats = ctx.stats[store];
  stats.present = true;
  stats.files += 1;
  const size = st.size;
  if (cp && cp.size === size && cp.mtimeMs === st.mtimeMs && !cp.racy) return cp;
  let fd = opened.fd;
  try {
    fd ??= openSync(path, OPEN_FLAGS);
  } catch {
    // Gone between the stat and the open: the next run sees it gone or back.
    return undefined;
  }
  try {
    let start = 0;
    let lines = 0;
    let fresh = true;
    if (cp && size >= cp.offset && cp.headLen <= size && headOf(fd, cp.headLen) === cp.head) {
      start = cp.offset;
      lines = cp.lines;
      fresh = false;
    }
    stats.bytesTotal += size - start;
    h.onStart?.(fresh);
    const headLen = Math.min(size, HEAD);
    // Read from the start, the head comes with the first chunk; otherwise it is read (once) when it grew.
    let head = !fresh && cp && cp.headLen === headLen ? cp.head : start === 0 ? '' : headOf(fd, headLen);
    // Sized to what is left to read: most event logs are a few KB, and a 1 MB buffer each is garbage.
    let buf = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK, size - start)));
    let carry = 0;
    let pos = start;
    let consumed = start;
    let skipping = false;
    const skip = h.skip;
    while (pos < size) {
      const want = Math.min(buf.length - carry, size - pos);
      const bytesRead = readSync(fd, buf, carry, want, pos);
      if (bytesRead === 0) break;
      if (head === '' && pos === 0) head = contentHash(buf.subarray(0, Math.min(headLen, bytesRead)));
      pos += bytesRead;
      const end = carry + bytesRead;
      const view = buf.subarray(0, end);
      let s = 0;
      for (let nl = view.indexOf(10, s); nl !== -1; nl = view.indexOf(10, s)) {
        lines += 1;
        if (skipping) {
          skipping = false;
          ctx.problem(store, rel, lines, `line longer than ${MAX_LINE} bytes`);
        } else if (nl > s) {
          stats.records += 1;
          if (skip && nl - s >= skip.length && skip.compare(view, s, s + skip.length) === 0) {
            s = nl + 1;
            consumed = pos - (end - s);
            continue;
          }
          const text = view.toString('utf8', s, nl);
          const p = h.onLine(text, lines);
          if (p) await p;
        }
        s = nl + 1;
        consumed = pos - (end - s);
      }
      if (s < end) {
        if (s === 0 && end === buf.length) {
          if (buf.length < MAX_LINE) {
            const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_LINE));
            buf.copy(bigger, 0, 0, end);
            buf = bigger;
            carry = end;
          } else {
            skipping = true;
            carry = 0;
          }
        } else {
          buf.copy(buf, 0, s, end);
          carry = end - s;
        }
      } else carry = 0;
      ctx.progress(store, bytesRead);
    }
    if (head === '') head = headOf(fd, headLen);
    const next: AppendFileCheckpoint = {
      kind: 'append',
      size,
      mtimeMs: st.mtimeMs,
      offset: consumed,
      lines,
      head,
      headLen,
    };
    // Rewritten within a clock tick of this read, the file could keep its size and mtime: look again.
    if (ctx.now - st.mtimeMs < RACY_MS) next.racy = true;
    return next;
  } finally {
    closeSync(fd);
  }
}
