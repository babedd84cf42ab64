import type { ExportV1 } from '../../schema/export-v1.ts';
import { DecodeError, decodeDocument, MAX_DOCUMENT_BYTES } from '../export/decode.ts';
import { exportToRollup } from '../export/to-rollup.ts';
import { validateDocument } from '../export/validate.ts';
import { utcDay } from '../privacy/day.ts';
import type { GateReport } from '../privacy/gate.ts';
import { gateFindings } from './admit.ts';
import { contributionOf, type Snapshot } from './contribution.ts';
import { Ledger, type Selection } from './ledger.ts';
import type { Problem } from './rejection.ts';
import { buildReport } from './report.ts';
import type { AggregateReport } from './report-schema.ts';
import { projectKey } from './store.ts';

export interface InputFile {
  path: string;
  bytes?: Uint8Array;
  error?: string;
}

export interface OfflineResult {
  report: AggregateReport;
  /** Files that were skipped, with every problem (pointer and message). */
  invalid: { path: string; problems: Problem[] }[];
  /** Files whose exportId was already read from another file (any encoding): counted once. */
  duplicates: { path: string; exportId: string; sameAs: string }[];
  used: number;
}

/**
 * `learning aggregate`: the hub's merge over export files. Files are decoded and validated like
 * submissions (any supported version; raw exports and gate findings are refused), de-duplicated by
 * exportId, ordered per project by createdAt and chained the same way (each snapshot counts as the
 * change since the previous one), then thresholded at k distinct projects per cell.
 */
export async function aggregateFiles(
  files: readonly InputFile[],
  o: { k: number; now: Date; selection?: Selection; gate: (doc: ExportV1) => Promise<GateReport> },
): Promise<OfflineResult> {
  const invalid: OfflineResult['invalid'] = [];
  const duplicates: OfflineResult['duplicates'] = [];
  const byId = new Map<string, { path: string; doc: ExportV1 }>();
  for (const f of files) {
    if (!f.bytes) {
      invalid.push({
        path: f.path,
        problems: [{ pointer: '', message: `cannot read: ${f.error ?? 'unknown error'}` }],
      });
      continue;
    }
    let value: unknown;
    try {
      value = decodeDocument(f.bytes, MAX_DOCUMENT_BYTES).value;
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      invalid.push({ path: f.path, problems: [{ pointer: '', message: error.message }] });
      continue;
    }
    const v = validateDocument(value);
    if (!v.ok || !v.document) {
      invalid.push({ path: f.path, problems: v.problems });
      continue;
    }
    const doc = v.document;
    if (doc.metadata.raw) {
      invalid.push({
        path: f.path,
        problems: [
          { pointer: '/metadata/raw', message: 'a raw (non-anonymized) export is never aggregated' },
        ],
      });
      continue;
    }
    const findings = gateFindings(await o.gate(doc), v.version);
    if (findings.length > 0) {
      invalid.push({
        path: f.path,
        problems: findings.map((x) => ({
          pointer: x.pointer,
          message: `refused by privacy rule ${x.ruleId}`,
        })),
      });
      continue;
    }
    const seen = byId.get(doc.metadata.exportId);
    if (seen) duplicates.push({ path: f.path, exportId: doc.metadata.exportId, sameAs: seen.path });
    else byId.set(doc.metadata.exportId, { path: f.path, doc });
  }

  const byProject = new Map<string, ExportV1[]>();
  for (const { doc } of byId.values()) {
    const key = projectKey(doc);
    const list = byProject.get(key) ?? [];
    list.push(doc);
    byProject.set(key, list);
  }
  const ledger = new Ledger(o.k);
  for (const [project, docs] of [...byProject.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    docs.sort(
      (a, b) =>
        Date.parse(a.metadata.createdAt) - Date.parse(b.metadata.createdAt) ||
        a.metadata.exportId.localeCompare(b.metadata.exportId),
    );
    let head: Snapshot | null = null;
    for (const doc of docs) {
      const snap = { createdAt: doc.metadata.createdAt, rollup: exportToRollup(doc) };
      const c = contributionOf(snap, head);
      if (c.counted !== 'stale') head = snap;
      ledger.add({
        project,
        frameworkVersion: doc.metadata.framework.version,
        day: utcDay(doc.metadata.createdAt) ?? 0,
        contribution: c.rollup,
      });
    }
  }
  const report = buildReport(ledger, o.selection ?? {}, { k: o.k, now: o.now, dayOf: 'created' });
  return { report, invalid, duplicates, used: byId.size };
}
