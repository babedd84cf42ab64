import type { StoreName } from '../../schema/stores.ts';
import type { RunContext } from './context.ts';
import { asRec, type Rec } from './fields.ts';

/** One JSON.parse per record; a line that is not a JSON object is skipped and reported where it is. */
export function parseRecord(
  ctx: RunContext,
  store: StoreName,
  rel: string,
  line: number | undefined,
  text: string,
): Rec | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.problem(store, rel, line, 'not valid JSON');
    return undefined;
  }
  const r = asRec(value);
  if (!r) ctx.problem(store, rel, line, 'not a JSON object');
  return r;
}
