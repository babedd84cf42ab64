import type { StoreStats } from '../../../schema/stores.ts';

/**
 * What `learning collect` prints, from figures alone (no schema, no store list): the collection
 * and the quick check that finds nothing new (lib/cli/quick-collect.ts) print through here, so
 * their output cannot drift apart.
 */
export interface StoreLine {
  name: string;
  /** LIVE or DORMANT (schema/stores.ts). */
  status: string;
  stats: StoreStats;
}

/** The per-store report for people (stderr). */
export function reportText(lines: readonly StoreLine[], events: number): string {
  let out = `learning collect: ${events} new events\n`;
  for (const { name, status, stats: s } of lines) {
    const state = s.present ? '' : ' (no files)';
    out +=
      `  ${name.padEnd(20)} ${status.padEnd(7)} ${String(s.records).padStart(7)} records, ` +
      `${String(s.emitted).padStart(6)} events, ${s.duplicates} duplicates, ${s.skipped} skipped${state}\n`;
    for (const p of s.problems.slice(0, 3))
      out += `      skipped ${p.path}${p.line ? `:${p.line}` : ''}: ${p.reason}\n`;
  }
  return out;
}

/** `--json` (stdout). */
export function jsonText(lines: readonly StoreLine[], events: number): string {
  const stores = Object.fromEntries(lines.map((l) => [l.name, l.stats]));
  return `${JSON.stringify({ eventsAdded: events, stores }, null, 2)}\n`;
}

/** The line a background collection leaves in the plugin's log. */
export function logText(trigger: string, events: number): string {
  return `collect (${trigger}): ${events} new events`;
}
