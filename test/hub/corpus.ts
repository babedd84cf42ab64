import { withExportId } from '../../lib/export/build.ts';
import { serializeExport } from '../../lib/export/serialize.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import { type CapabilitySpec, projectExport } from './exports.ts';

/** Capabilities the framework ships, for realistic, mergeable labels. */
const CAPABILITIES: readonly [string, string][] = [
  ['implementer', 'implement'],
  ['implementer', 'write-code'],
  ['reviewer', 'review-code'],
  ['tester', 'write-tests'],
  ['planner', 'create-stories'],
  ['debugger', 'analyze-error'],
  ['enhancer', 'enhance-prompt'],
  ['architect', 'design-system'],
];

/**
 * Many distinct, realistic submissions quickly: a few exports recorded through the real Recorder,
 * then copied under other project ids, each with one capability of its own (a pseudonym, as a
 * project's custom agent would be). Every copy is a valid export with its own exportId.
 */
export function submissionCorpus(
  n: number,
  o: { versions?: readonly string[]; seed?: number } = {},
): ExportV1[] {
  const versions = o.versions ?? ['3.7.0', '3.7.1'];
  const bases = [0, 1, 2, 3].map((i) =>
    projectExport({
      seed: (o.seed ?? 100) + i,
      frameworkVersion: versions[i % versions.length] as string,
      capabilities: CAPABILITIES.map(
        ([agent, action], j): CapabilitySpec => ({
          agent,
          action,
          runs: 12 + ((i * 7 + j * 5) % 30),
          successRate: 0.6 + ((i + j) % 4) * 0.1,
          quality: 60 + ((i * 3 + j) % 30),
          errorType: j % 2 ? 'TimeoutError' : 'ValueError',
        }),
      ),
      workflows: 12,
      consultations: 10,
    }),
  );
  const out: ExportV1[] = [];
  for (let i = 0; i < n; i++) {
    const base = bases[i % bases.length] as ExportV1;
    const hex = (i + 1).toString(16).padStart(16, '0');
    const items = base.capabilities.items.map((c, j) => (j === 0 ? { ...c, name: `p_${hex}` } : c));
    out.push(
      withExportId({
        ...base,
        metadata: { ...base.metadata, projectId: `p_${hex}` },
        capabilities: { ...base.capabilities, items },
      }),
    );
  }
  return out;
}

export function gzipJson(doc: ExportV1): Uint8Array {
  return serializeExport(doc, { format: 'json', gzip: true });
}
