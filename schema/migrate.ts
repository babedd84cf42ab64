import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { withExportId } from '../lib/export/build.ts';
import { toExportSketch } from '../lib/export/sketch-codec.ts';
import { emptySketch, sketchAdd } from '../lib/rollup/sketch.ts';
import {
  EXPORT_SCHEMA_VERSION,
  type ExportV1,
  ExportV1 as ExportV1Schema,
  PRIVACY_POLICY_VERSION,
} from './export-v1.ts';
import { PythonExport } from './python-export-1.0.ts';
import { Label } from './rollup.ts';

export type DocumentVersion = 'v1' | 'python-1.0' | 'unknown';

export function detectVersion(doc: unknown): DocumentVersion {
  if (!doc || typeof doc !== 'object') return 'unknown';
  const d = doc as Record<string, unknown>;
  if (typeof d.schemaVersion === 'string' && /^1\.\d+$/.test(d.schemaVersion)) return 'v1';
  const meta = d.export_metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object' && meta.schema_version === '1.0') return 'python-1.0';
  return 'unknown';
}

/**
 * The Python exporter's "1.0" document as a v1 document. What cannot be carried over is said, not
 * invented: its success rates and scores are moving averages (EMA, α=0.1), so runs × rate gives an
 * approximate success count, and each average stands for all of a capability's runs in its sketch.
 * Its trends and host metrics have no counts behind them and are dropped.
 */
export function migratePythonExport(input: v.InferOutput<typeof PythonExport>): ExportV1 {
  const meta = input.export_metadata;
  const caps = input.capability_metrics?.capabilities ?? [];
  const items = caps.map((c) => {
    const runs = c.usage_count;
    const successes = Math.round(c.success_rate * runs);
    const durationMs = emptySketch();
    const quality = emptySketch();
    for (let i = 0; i < Math.min(runs, 100_000); i++) {
      sketchAdd(durationMs, c.average_duration * 1000);
      sketchAdd(quality, c.quality_score * 100);
    }
    return {
      name: labelOf(c.capability_id),
      runs,
      successes,
      failures: runs - successes,
      skips: 0,
      retries: 0,
      retrySuccesses: 0,
      durationMs: toExportSketch(durationMs),
      quality: toExportSketch(quality),
      subScores: {},
      languages: {},
      weeks: {},
    };
  });
  const hash = (meta.project_hash ?? '').toLowerCase();
  const projectId = /^[0-9a-f]{16}$/.test(hash) ? `legacy_${hash}` : `legacy_${'0'.repeat(16)}`;
  const version = /^v?\d+(\.\d+){0,3}$/.test(meta.framework_version) ? meta.framework_version : 'unknown';
  const createdAt = normalizeTime(meta.export_timestamp);
  const notRecorded = { status: 'not-recorded' as const, reason: 'host-did-not-report' as const, items: [] };
  const tasks = items.reduce((n, i) => n + i.runs, 0);
  return withExportId({
    schemaVersion: EXPORT_SCHEMA_VERSION,
    metadata: {
      exportId: '0'.repeat(64),
      createdAt,
      producer: { name: 'tapps-agents-python', version },
      framework: { name: 'tapps-agents', version },
      projectId,
      period: { firstWeek: null, lastWeek: null },
      raw: meta.anonymization_applied !== true,
      migratedFrom: 'python-1.0',
      privacy: {
        policyVersion: PRIVACY_POLICY_VERSION,
        k: 1,
        epsilon: null,
        suppressedCells: 0,
        redaction: { scannedStrings: 0, findings: 0, rules: {} },
      },
    },
    totals: { tasks, workflowRuns: 0, consultations: 0 },
    capabilities:
      items.length > 0
        ? { status: 'recorded', items }
        : { status: 'empty', reason: 'no-data-yet', items: [] },
    workflows: notRecorded,
    experts: notRecorded,
    patterns: { status: 'not-recorded', reason: 'framework-keeps-in-memory-only', items: [] },
    decisions: { status: 'not-recorded', reason: 'framework-keeps-in-memory-only', items: [] },
    security: notRecorded,
    failures: notRecorded,
    effectiveness: notRecorded,
    health: notRecorded,
  });
}

/** Already-hashed ids (`hash_<16 hex>`) stay; anything else (a raw id) is hashed, never copied. */
function labelOf(id: string): string {
  if (/^hash_[0-9a-f]{16}$/.test(id) && v.is(Label, id)) return id;
  return `hash_${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

function normalizeTime(t: string): string {
  const ms = Date.parse(t.replace(/Z$/, '').replace(/([+-]\d\d:\d\d)$/, '$1'));
  return new Date(Number.isFinite(ms) ? ms : 0).toISOString();
}

export { ExportV1Schema, PythonExport };
