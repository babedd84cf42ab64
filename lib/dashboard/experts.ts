import type { Calibration, ExpertDomain } from '../../schema/dashboard.ts';
import type { ExpertCell } from '../../schema/rollup.ts';
import { isoDay } from '../privacy/day.ts';
import { calibrationOf } from './calibration.ts';
import { distributionOf, QUALITY_BOUNDS } from './histogram.ts';
import { rateOf } from './rate.ts';
import { datedCells, sumCells } from './series-points.ts';
import { meanTrend, rateTrend } from './trend.ts';

/**
 * An expert domain: stated confidence and how often it met the framework's threshold, with their
 * trends (the expert series holds [consultations, meets, below, 0, confidenceSumMilli, n]).
 */
export function expertDomain(domain: string, e: ExpertCell, since: number | null): ExpertDomain {
  const cells = datedCells(e.series, since);
  const [consultations, meets, below] =
    since === null ? [e.consultations, e.meetsThreshold, e.belowThreshold] : sumCells(cells);
  return {
    domain,
    consultations,
    experts: Object.values(e.experts).filter((n) => n > 0).length,
    confidence: distributionOf(e.confidence, QUALITY_BOUNDS),
    meetsThreshold: rateOf(meets, meets + below),
    agreement: e.agreementCount > 0 ? Math.min(1, e.agreementSumMilli / 1000 / e.agreementCount) : null,
    confidenceTrend: meanTrend(
      'confidence',
      cells.map(({ day, span, cell }) => ({ day, span, n: cell[5], k: 0, sum: cell[4] / 1000 })),
    ),
    meetsThresholdTrend: rateTrend(
      'meets-threshold',
      cells.map(({ day, span, cell }) => ({ day, span, n: cell[1] + cell[2], k: cell[1], sum: 0 })),
    ),
    days: cells.map(({ day, span, cell }) => ({
      day: isoDay(day),
      span,
      consultations: cell[0],
      meets: cell[1],
      below: cell[2],
      confidence: cell[5] > 0 ? cell[4] / 1000 / cell[5] : null,
    })),
  };
}

/** Calibration of every domain that has linked consultations. */
export function calibrationSection(experts: readonly [string, ExpertCell][]): Calibration {
  const domains = experts
    .map(([domain, e]) => calibrationOf(domain, e.calibration))
    .filter((d) => d.linked > 0)
    .sort((a, b) => b.linked - a.linked || a.domain.localeCompare(b.domain));
  return domains.length > 0
    ? { state: 'recorded', reason: null, domains }
    : {
        state: 'empty',
        reason:
          'no linked consultations yet: a consultation counts once the collector links it to the outcome of the step it advised',
        domains: [],
      };
}
