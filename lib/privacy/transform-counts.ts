import type { ExportV1 } from '../../schema/export-v1.ts';
import { PSEUDONYM_PATTERN } from './pseudonym.ts';
import { walkStrings } from './walk.ts';

/**
 * What the privacy steps did to an export, for its redaction report (`metadata.privacy.redaction
 * .rules`, next to the gate's own rule hits, which are always zero in a written export: a hit
 * refuses it). Counts only, never names:
 * - `allow-list/pseudonym`: distinct keyed pseudonyms standing in for project-specific names
 *   (the project id not counted);
 * - `k-threshold/suppressed`: cells folded into `__other__` or dropped because fewer than k runs
 *   were behind them (absent from a raw export, which applies no threshold);
 * - `noise/laplace`: values that received Laplace noise (absent without epsilon).
 */
export function transformCounts(doc: ExportV1, noisedValues: number): Record<string, number> {
  const pseudonyms = new Set<string>();
  const { metadata, ...content } = doc;
  walkStrings(content, {
    string(text) {
      for (const part of text.split('.')) if (PSEUDONYM_PATTERN.test(part)) pseudonyms.add(part);
    },
  });
  const out: Record<string, number> = { 'allow-list/pseudonym': pseudonyms.size };
  if (!metadata.raw) out['k-threshold/suppressed'] = metadata.privacy.suppressedCells;
  if (metadata.privacy.epsilon !== null) out['noise/laplace'] = noisedValues;
  return out;
}
