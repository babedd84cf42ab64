import { normName } from './name-cache.ts';

/** Workflow ids end with their start time: `rapid-dev-20260926-091432` or `…-091432-512023` (Cursor). */
const ID_TIME = /-(\d{8})-(\d{6})(?:-\d{1,6})?$/;

const types = new Map<string, string>();

/** The workflow type is the id's prefix before the date (`rapid-dev`, `build`, `story-4.1`). */
export function workflowType(id: string): string {
  const hit = types.get(id);
  if (hit !== undefined) return hit;
  const m = ID_TIME.exec(id);
  const prefix = m ? id.slice(0, m.index) : id;
  const type = normName(prefix) || normName(id);
  // Every record of a workflow asks again; the memo is per id and bounded.
  if (types.size > 4096) types.clear();
  types.set(id, type);
  return type;
}

export function workflowRef(id: string, name?: string): { id: string; type: string; name?: string } {
  return name === undefined ? { id, type: workflowType(id) } : { id, type: workflowType(id), name };
}

/** The local wall-clock start time an id carries (`YYYYmmdd-HHMMSS`), as `Date.UTC` of its fields. */
export function idWallTime(id: string): number | undefined {
  const m = ID_TIME.exec(id);
  if (!m) return undefined;
  const d = m[1] as string;
  const t = m[2] as string;
  const ms = Date.UTC(
    +d.slice(0, 4),
    +d.slice(4, 6) - 1,
    +d.slice(6, 8),
    +t.slice(0, 2),
    +t.slice(2, 4),
    +t.slice(4, 6),
  );
  return Number.isFinite(ms) ? ms : undefined;
}
