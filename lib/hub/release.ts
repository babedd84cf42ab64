import type { CapabilityCell } from '../../schema/rollup.ts';
import { type Interval, proportionDiff, wilson, Z95 } from '../dashboard/stats.ts';
import { cellKey } from './cells.ts';
import type { CapabilityByVersion, Change, ReleaseComparison, VersionCell } from './report-schema.ts';
import type { Scope } from './scope.ts';
import { sketchMoments } from './sketch-moments.ts';
import { compareVersions } from './versions.ts';

/**
 * Release comparison for maintainers: per capability, success rate and quality under each framework
 * version across projects, and the change between consecutive versions with an interval. A
 * version's cell counts only when at least k projects contributed to it, as everywhere in the hub.
 */
export function compareReleases(byVersion: ReadonlyMap<string, Scope>, k: number): ReleaseComparison {
  const versions = [...byVersion.keys()].sort(compareVersions);
  let withheldCells = 0;
  const names = new Set<string>();
  for (const s of byVersion.values()) for (const name of Object.keys(s.sum.capabilities)) names.add(name);

  const capabilities: CapabilityByVersion[] = [];
  const changes: Change[] = [];
  for (const capability of [...names].sort()) {
    const cells: VersionCell[] = [];
    for (const version of versions) {
      const scope = byVersion.get(version) as Scope;
      if (!Object.hasOwn(scope.sum.capabilities, capability)) continue;
      const n = scope.contributors(cellKey('c', capability));
      if (n === 0) continue;
      const published = n >= k;
      if (!published) withheldCells += 1;
      cells.push(
        published ? cellOf(version, scope.sum.capabilities[capability] as CapabilityCell) : withheld(version),
      );
    }
    if (cells.length === 0) continue;
    capabilities.push({ capability, versions: cells });
    const shown = cells.filter((c) => c.published && c.version !== 'unknown' && (c.runs ?? 0) > 0);
    for (let i = 1; i < shown.length; i++) {
      const a = shown[i - 1] as VersionCell;
      const b = shown[i] as VersionCell;
      const rate = proportionDiff(a.successes ?? 0, a.runs ?? 0, b.successes ?? 0, b.runs ?? 0);
      if (rate) changes.push(change(capability, 'success-rate', a.version, b.version, rate));
      const q = qualityDiff(a, b);
      if (q) changes.push(change(capability, 'quality', a.version, b.version, q));
    }
  }
  const order = (x: Change, y: Change) =>
    compareVersions(y.to, x.to) ||
    metricOrder(x) - metricOrder(y) ||
    Math.abs(y.change.estimate) - Math.abs(x.change.estimate) ||
    x.capability.localeCompare(y.capability);
  return {
    versions: versions.map((version) => {
      const s = byVersion.get(version) as Scope;
      return {
        version,
        projects: s.projects.size,
        submissions: s.submissions,
        tasks: Math.max(0, s.sum.tasks),
      };
    }),
    capabilities,
    changes,
    regressions: changes.filter((c) => c.verdict === 'regression').sort(order),
    improvements: changes.filter((c) => c.verdict === 'improvement').sort(order),
    withheldCells,
  };
}

function metricOrder(c: Change): number {
  return c.metric === 'success-rate' ? 0 : 1;
}

function cellOf(version: string, c: CapabilityCell): VersionCell {
  const runs = Math.max(0, c.runs);
  const successes = Math.min(runs, Math.max(0, c.successes));
  const m = sketchMoments(c.quality);
  const se = m ? Math.sqrt(m.variance / m.n) : 0;
  const half = Z95 * se;
  return {
    version,
    published: true,
    runs,
    successes,
    successRate: wilson(successes, runs),
    quality: m
      ? {
          estimate: m.mean,
          low: Math.max(0, m.mean - half),
          high: Math.min(100, m.mean + half),
          n: m.n,
          standardError: se,
        }
      : null,
  };
}

function withheld(version: string): VersionCell {
  return { version, published: false, runs: null, successes: null, successRate: null, quality: null };
}

/** Difference of mean quality (Welch, normal approximation): runs are many, scores bounded. */
function qualityDiff(a: VersionCell, b: VersionCell): Interval | null {
  if (!a.quality || !b.quality) return null;
  const d = b.quality.estimate - a.quality.estimate;
  const half = Z95 * Math.hypot(a.quality.standardError, b.quality.standardError);
  return { estimate: d, low: d - half, high: d + half };
}

function change(capability: string, metric: Change['metric'], from: string, to: string, i: Interval): Change {
  const verdict = i.high < 0 ? 'regression' : i.low > 0 ? 'improvement' : 'no-significant-change';
  return { capability, metric, from, to, change: i, verdict };
}
