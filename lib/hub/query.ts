import type { Selection } from './ledger.ts';
import { Rejection } from './rejection.ts';

const VERSION = /^(?:unknown|v?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.]+)?)$/;

/**
 * `?framework=&since=&until=` → a ledger selection. Days are UTC calendar days, both ends included.
 * Bad values are a `schema` rejection that names the parameter.
 */
export function parseSelection(q: {
  framework?: string | null;
  since?: string | null;
  until?: string | null;
}): Selection {
  const problems: { pointer: string; message: string }[] = [];
  const s: Selection = {};
  const framework = q.framework?.trim();
  if (framework) {
    if (framework.length <= 32 && VERSION.test(framework)) s.framework = framework;
    else
      problems.push({
        pointer: '/query/framework',
        message: 'not a framework version such as 3.7.1 (or "unknown")',
      });
  }
  for (const name of ['since', 'until'] as const) {
    const text = q[name]?.trim();
    if (!text) continue;
    const day = dayNumber(text);
    if (day === null) problems.push({ pointer: `/query/${name}`, message: 'not a calendar day YYYY-MM-DD' });
    else if (name === 'since') s.sinceDay = day;
    else s.untilDay = day;
  }
  if (s.sinceDay !== undefined && s.untilDay !== undefined && s.sinceDay > s.untilDay)
    problems.push({ pointer: '/query/until', message: 'is before since' });
  if (problems.length > 0) throw new Rejection('schema', 400, 'bad query parameters', problems);
  return s;
}

/** `YYYY-MM-DD` → UTC day number, null unless it is a real calendar day. */
export function dayNumber(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== text) return null;
  return Math.floor(ms / 86_400_000);
}
