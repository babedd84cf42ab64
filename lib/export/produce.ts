import * as v from 'valibot';
import type { SectionName } from '../../config/schema.ts';
import { type ExportV1, ExportV1 as ExportV1Schema } from '../../schema/export-v1.ts';
import type { State } from '../../schema/state.ts';
import type { ResolvedOptions } from '../options.ts';
import { type GateReport, gate, gateBytes } from '../privacy/gate.ts';
import { type MachineIdentity, machineIdentity } from '../privacy/identity.ts';
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
  projectRoot: string;
  /** Injected by tests; read from this machine otherwise. */
  identity?: MachineIdentity;
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
 * state → document → gate → schema → bytes → gate again on the exact bytes. Nothing is returned
 * (so nothing can be written or sent) unless both gates pass and the document validates.
 */
export async function produceExport(state: State, o: ProduceOptions): Promise<Produced> {
  const exclude = new Set(o.exclude ?? []);
  const sections = o.options.sections.filter((s) => !exclude.has(s));
  const built = buildExport(state.rollup, {
    now: o.now,
    projectId: o.projectId,
    producerVersion: PACKAGE_VERSION,
    frameworkVersion: state.frameworkVersion,
    k: Math.max(o.options.k, o.k ?? 0),
    epsilon: o.options.epsilon,
    sections,
    excludedBy: exclude.size > 0 ? 'excluded-by-user' : 'excluded-by-project-config',
  });
  const identity = o.identity ?? (await machineIdentity(o.projectRoot));
  const report = await gate(built, { identity });
  if (!report.ok) throw new GateRefusedError(report);
  const doc = withExportId({
    ...built,
    metadata: {
      ...built.metadata,
      privacy: {
        ...built.metadata.privacy,
        redaction: { scannedStrings: report.scannedStrings, findings: 0, rules: {} },
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
  const second = await gateBytes(bytes, { identity });
  if (!second.ok) throw new GateRefusedError(second);
  return { doc, bytes, sha256: sha256Hex(bytes), gate: report };
}
