import type { StoreName } from '../../schema/stores.ts';
import { followAppend } from './append-file.ts';
import type { RunContext } from './context.ts';
import type { Rec } from './fields.ts';
import { parseRecord } from './json-line.ts';

/**
 * Follows every append-only JSONL file of a directory whose name matches, oldest name first (the
 * framework names them by date), handing each new record to `onRecord`.
 */
export async function readJsonlFiles(
  ctx: RunContext,
  store: StoreName,
  dir: string,
  pattern: RegExp,
  onRecord: (r: Rec, rel: string, line: number) => void | Promise<void>,
): Promise<void> {
  const entries = await ctx.list(dir);
  if (!entries) return;
  for (const e of entries) {
    if (!e.isFile() || !pattern.test(e.name)) continue;
    const rel = `${dir}/${e.name}`;
    const old = ctx.files.get(rel);
    const next = await followAppend(ctx, store, rel, old?.kind === 'append' ? old : undefined, {
      onLine: (text, line) => {
        const r = parseRecord(ctx, store, rel, line, text);
        return r ? onRecord(r, rel, line) : undefined;
      },
    });
    if (next) ctx.files.set(rel, next);
  }
}
