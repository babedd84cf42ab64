import type { CalibrationBin, CalibrationDomain } from '../../schema/dashboard.ts';
import type { ExpertCell } from '../../schema/rollup.ts';
import { formatCount, formatPercent, formatPoints, formatRange } from './format.ts';
import { METHOD } from './method.ts';
import { rateOf } from './rate.ts';
import { wilson, zFor } from './stats.ts';

/**
 * Calibration of one expert domain from its reliability table (confidence decile → [linked
 * consultations, advised steps that succeeded]). Confidence is taken at the decile's midpoint: the
 * rollup keeps no finer value, and for confidences spread within a decile the midpoint is unbiased.
 */
export function calibrationOf(domain: string, table: ExpertCell['calibration']): CalibrationDomain {
  const bins: CalibrationBin[] = [];
  let n = 0;
  let s = 0;
  let confSum = 0;
  let brierSum = 0;
  for (let decile = 0; decile < 10; decile++) {
    const cell = Object.hasOwn(table, String(decile)) ? table[String(decile)] : undefined;
    const bn = cell?.[0] ?? 0;
    // A merged table from strangers may say more successes than trials: never more than n.
    const bs = Math.min(cell?.[1] ?? 0, bn);
    const confidence = (decile + 0.5) / 10;
    bins.push({ decile, confidence, n: bn, successes: bs, observed: rateOf(bs, bn) });
    n += bn;
    s += bs;
    confSum += bn * confidence;
    brierSum += bs * (1 - confidence) ** 2 + (bn - bs) * confidence ** 2;
  }
  if (n === 0) {
    return {
      domain,
      linked: 0,
      meanConfidence: 0,
      successRate: null,
      gap: null,
      brier: null,
      brierReference: null,
      ece: null,
      verdict: 'not-enough-data',
      summary: 'no linked consultations yet',
      bins,
    };
  }
  const meanConfidence = confSum / n;
  const p = s / n;
  let ece = 0;
  for (const b of bins) if (b.n > 0) ece += (b.n / n) * Math.abs(b.successes / b.n - b.confidence);
  const decisive = wilson(s, n, zFor(METHOD.trendConfidence)) as NonNullable<ReturnType<typeof wilson>>;
  const gap = {
    estimate: meanConfidence - p,
    low: meanConfidence - decisive.high,
    high: meanConfidence - decisive.low,
  };
  const base = {
    domain,
    linked: n,
    meanConfidence,
    successRate: rateOf(s, n),
    gap,
    brier: brierSum / n,
    brierReference: p * (1 - p),
    ece,
    bins,
  };
  const says = `states ${formatPercent(meanConfidence)}, advised steps succeed ${formatPercent(p)}`;
  const min = METHOD.minLinkedConsultations;
  if (n < min) {
    return {
      ...base,
      verdict: 'not-enough-data',
      summary: `${n} linked consultations; ${min - n} more needed (${says})`,
    };
  }
  const ci = `${Math.round(METHOD.trendConfidence * 100)}% interval ${formatRange(gap.low, gap.high, true)}`;
  if (gap.low > 0 && gap.estimate >= METHOD.minCalibrationGap) {
    return {
      ...base,
      verdict: 'over-confident',
      summary: `over-confident by ${formatPoints(gap.estimate, true)}: ${says} (${ci})`,
    };
  }
  if (gap.high < 0 && gap.estimate <= -METHOD.minCalibrationGap) {
    return {
      ...base,
      verdict: 'under-confident',
      summary: `under-confident by ${formatPoints(-gap.estimate, true)}: ${says} (${ci})`,
    };
  }
  const halfWidth = (gap.high - gap.low) / 2;
  if (halfWidth <= METHOD.minRateChange)
    return { ...base, verdict: 'calibrated', summary: `calibrated: ${says} (${ci})` };
  const more = Math.ceil(n * ((halfWidth / METHOD.minRateChange) ** 2 - 1));
  return {
    ...base,
    verdict: 'not-enough-data',
    summary: `${says}; about ${formatCount(more)} more linked consultations to see a 10-point miscalibration`,
  };
}
