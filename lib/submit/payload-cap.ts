import { gzipSync } from 'node:zlib';
import { SECTION_NAMES, type SectionName } from '../../config/schema.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';

/** Hard client-side limit on what one submission may carry, compressed (Glean allows 1 MB; we need far less). */
export const PAYLOAD_CAP_BYTES = 64 * 1024;

/**
 * Null when the payload fits; otherwise the message: how big, the cap, which sections weigh most,
 * and the two ways to shrink it (leave sections out, raise k so fewer, larger cells remain).
 */
export function capProblem(doc: ExportV1, bytes: number, cap: number): string | null {
  if (bytes <= cap) return null;
  const weights = sectionWeights(doc).slice(0, 3);
  const heavy = weights.map((w) => `${w.section} ~${kb(w.bytes)}`).join(', ');
  const k = doc.metadata.privacy.k;
  return (
    `the export is ${bytes} bytes compressed, over the ${cap}-byte cap for one submission. ` +
    `Largest sections (compressed alone): ${heavy || 'none'}. Make it smaller: leave sections out ` +
    `(--exclude ${weights
      .slice(0, 2)
      .map((w) => w.section)
      .join(',')}) or raise k so fewer, larger cells remain (--k ${Math.max(k * 2, 10)}).`
  );
}

/** Each section that holds data, with its size compressed on its own: a fair guide to what to leave out. */
export function sectionWeights(doc: ExportV1): { section: SectionName; bytes: number }[] {
  return SECTION_NAMES.filter((section) => doc[section].items.length > 0)
    .map((section) => ({ section, bytes: gzipSync(JSON.stringify(doc[section])).byteLength }))
    .sort((a, b) => b.bytes - a.bytes);
}

function kb(n: number): string {
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}
