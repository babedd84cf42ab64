import * as v from 'valibot';
import type { SectionName } from '../../config/schema.ts';
import { type ExportV1, ExportV1 as ExportV1Schema } from '../../schema/export-v1.ts';
import type { State } from '../../schema/state.ts';
import type { ResolvedOptions } from '../options.ts';
import { type GateReport, gate, gateBytes, redactionReport } from '../privacy/gate.ts';
import { type MachineIdentity, machineIdentity } from '../privacy/identity.ts';
import { noiseKeyOf } from '../privacy/noise.ts';
import { loadOrCreateSecret } from '../privacy/secret.ts';
import { PACKAGE_VERSION } from '../version.ts';
import { buildExport, withExportId } from './build.ts';
import { sha256Hex } from './canonical.ts';
import { type SerializeOptions, serializeExport } from './serialize.ts';
import { toProblems } from './validate.ts';

export interface ProduceOptions extends SerializeOptions {
  now: Date;
  projectId: string;
  options: ResolvedOptions;
  /** Sections the user asked to leave out (on top of what the project config removes). */
  exclude?: readonly SectionName[];
  /** A higher k than the configured one, for this export only. */
  k?: number;
  /** A smaller epsilon (more noise) than the configured one, or one where none is configured. */
  epsilon?: number;
  /**
   * A raw export (`--no-anonymize`, after confirmation): no k-threshold, no noise, no gate, marked
   * `metadata.raw`. The rollups hold only pseudonyms, so it holds no names either; it differs from
   * a normal export only by those three steps. Submit and the hub refuse it.
   */
  raw?: boolean;
  projectRoot: string;
  /** Injected by tests; read from this machine otherwise. */
  identity?: MachineIdentity;
  /** Injected by tests; otherwise derived from the project's secret (noise.ts noiseKeyOf). */
  noiseKey?: Uint8Array;
}

export interface Produced {
  doc: ExportV1;
  bytes: Uint8Array;
  sha256: string;
  gate: GateReport;
}

/** The privacy gate refused the output: carries pointers and rule ids, never the values. */
export class GateRefusedError extends Error {
  constructor(readonly report: GateReport) {
    super(`the privacy gate refused the export (${report.findings.length} finding(s))`);
    this.name = 'GateRefusedError';
  }
}

/**
 * state → document (k-threshold, then noise when epsilon is set) → gate → schema → bytes → gate
 * again on the exact bytes. Nothing is returned (so nothing can be written or sent) unless both
 * gates pass and the document validates. Both gates look for this machine's identity and the
 * project's declared sensitive terms.
 */
export async function produceExport(state: State, o: ProduceOptions): Promise<Produced> {
  const exclude = new Set(o.exclude ?? []);
  const common = {
    now: o.now,
    projectId: o.projectId,
    producerVersion: PACKAGE_VERSION,
    frameworkVersion: state.frameworkVersion,
    k: Math.max(o.options.k, o.k ?? 0),
    sections: o.options.sections.filter((s) => !exclude.has(s)),
    excludedBy: exclude.size > 0 ? ('excluded-by-user' as const) : ('excluded-by-project-config' as const),
    raw: o.raw === true,
  };
  if (o.raw) return finish(buildExport(state.rollup, common), NOT_GATED, o, null);
  const epsilon = smallest(o.options.epsilon, o.epsilon);
  const noiseKey =
    epsilon === null ? undefined : (o.noiseKey ?? noiseKeyOf(loadOrCreateSecret(o.projectRoot)));
  const built = buildExport(state.rollup, { ...common, epsilon, ...(noiseKey ? { noiseKey } : {}) });
  const identity = o.identity ?? (await machineIdentity(o.projectRoot));
  const ctx = { identity, terms: o.options.sensitiveTerms };
  const report = await gate(built, ctx);
  if (!report.ok) throw new GateRefusedError(report);
  return finish(built, report, o, ctx);
}

/** A raw export is not gated: its report says so with zero strings scanned. */
const NOT_GATED: GateReport = { ok: true, findings: [], scannedStrings: 0, counts: {} };

function smallest(a: number | null, b: number | undefined): number | null {
  if (b === undefined) return a;
  return a === null ? b : Math.min(a, b);
}

/**
 * The redaction report (what the gate scanned, what the privacy steps did), the schema check, the
 * bytes, and (unless raw) the gate again on those exact bytes.
 */
async function finish(
  built: ExportV1,
  report: GateReport,
  o: ProduceOptions,
  ctx: { identity: MachineIdentity; terms: readonly string[] } | null,
): Promise<Produced> {
  const gateSummary = redactionReport(report);
  const doc = withExportId({
    ...built,
    metadata: {
      ...built.metadata,
      privacy: {
        ...built.metadata.privacy,
        redaction: {
          ...gateSummary,
          rules: { ...built.metadata.privacy.redaction.rules, ...gateSummary.rules },
        },
      },
    },
  });
  const parsed = v.safeParse(ExportV1Schema, doc);
  if (!parsed.success) {
    const where = toProblems(parsed.issues)
      .map((p) => `${p.pointer}: ${p.message}`)
      .join('; ');
    throw new Error(`internal error: the export does not match its schema (${where})`);
  }
  const bytes = serializeExport(doc, o);
  if (ctx) {
    const second = await gateBytes(bytes, ctx);
    if (!second.ok) throw new GateRefusedError(second);
  }
  return { doc, bytes, sha256: sha256Hex(bytes), gate: report };
}
