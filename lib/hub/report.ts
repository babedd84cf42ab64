import { isoDay } from '../privacy/day.ts';
import type { Ledger, Selection } from './ledger.ts';
import { publish } from './publish.ts';
import { compareReleases } from './release.ts';
import { AGGREGATE_SCHEMA_VERSION, type AggregateReport } from './report-schema.ts';

export interface ReportOptions {
  k: number;
  now: Date;
  /** What the ledger's days are: the hub files by receive day, offline files by createdAt. */
  dayOf: 'received' | 'created';
}

/**
 * The published aggregate for a selection: the k-thresholded rollup, how many cells were withheld,
 * and the release comparison over every framework version inside the same date window (the
 * `framework` filter narrows the rollup, not the comparison, which needs all versions).
 */
export function buildReport(ledger: Ledger, s: Selection, o: ReportOptions): AggregateReport {
  const scope = ledger.select(s);
  const { rollup, withheld } = publish(scope.sum, (key) => scope.contributors(key), o.k);
  const window = { sinceDay: s.sinceDay, untilDay: s.untilDay };
  return {
    schemaVersion: AGGREGATE_SCHEMA_VERSION,
    generatedAt: o.now.toISOString(),
    filter: {
      framework: s.framework ?? null,
      since: s.sinceDay === undefined ? null : isoDay(s.sinceDay),
      until: s.untilDay === undefined ? null : isoDay(s.untilDay),
      dayOf: o.dayOf,
    },
    k: o.k,
    projects: scope.projects.size,
    submissions: scope.submissions,
    published: scope.projects.size >= o.k && scope.contributors('total') >= o.k,
    withheld,
    rollup,
    release: compareReleases(ledger.byVersion(window), o.k),
  };
}
