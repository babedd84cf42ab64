import type { GateFinding, GateReport } from './gate-types.ts';

/** Places listed before the message says "and N more": enough to fix, short enough to read. */
const MAX_PLACES = 40;

/**
 * The message a refused export prints. It names places (JSON pointers) and rule ids only: the
 * refused values never appear, so the message itself can be pasted into an issue. Pointers are
 * safe to print because the gate writes a flagged key as `#<position>`.
 */
export function formatGateRefusal(report: GateReport): string {
  if (report.ok)
    return `The privacy gate found nothing to refuse (${report.scannedStrings} strings scanned).`;
  const byPlace = new Map<string, { where: GateFinding['in']; rules: Set<string> }>();
  for (const f of report.findings) {
    const place = `${f.in}\u0000${f.pointer}`;
    let entry = byPlace.get(place);
    if (!entry) {
      entry = { where: f.in, rules: new Set() };
      byPlace.set(place, entry);
    }
    entry.rules.add(f.ruleId);
  }
  const lines: string[] = [];
  const n = report.findings.length;
  lines.push(
    `Refused by the privacy gate: ${n} finding${n === 1 ? '' : 's'} in ${byPlace.size} place${byPlace.size === 1 ? '' : 's'} (${report.scannedStrings} strings scanned). Nothing was written or sent.`,
  );
  let shown = 0;
  for (const [place, { where, rules }] of byPlace) {
    if (shown++ >= MAX_PLACES) break;
    const pointer = place.slice(place.indexOf('\u0000') + 1);
    lines.push(
      `  ${pointer === '' ? '(document root)' : pointer} (${where}): ${[...rules].sort().join(', ')}`,
    );
  }
  if (byPlace.size > MAX_PLACES) lines.push(`  … and ${byPlace.size - MAX_PLACES} more places`);
  const totals = Object.entries(report.counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, count]) => `${rule} ${count}`)
    .join(', ');
  lines.push(`By rule: ${totals}.`);
  if (Object.keys(report.counts).some((r) => r.startsWith('format/')))
    lines.push(
      'The bytes could not be fully inspected (too large after decompression, corrupt, not JSON or MessagePack) or their gzip header names a file or a time: the gate refuses what it cannot vouch for.',
    );
  const masked = report.findings.some((f) => /(^|\/)#\d+(\/|$)/.test(f.pointer));
  lines.push(
    masked
      ? 'Values are not shown. A `#n` segment is the n-th key (from 0) of its object: that key was refused itself.'
      : 'Values are not shown.',
  );
  lines.push(
    'What to do: an anonymized export must never hold such data, so this is a bug in @tapps-agents/learning or in a plugin that adds fields to the export. Please report it with this message (it holds no values). Nothing left the machine and the local state is unchanged.',
  );
  return lines.join('\n');
}
