import type { ErrorCount, Failures } from '../../schema/dashboard.ts';
import type { CapabilityCell, Counts, WorkflowCell } from '../../schema/rollup.ts';
import { DURATION_BOUNDS, distributionOf } from './histogram.ts';
import { preventionHint } from './prevention-hints.ts';
import { rateOf } from './rate.ts';

/** Counts map → [label, count] pairs, most first, then by name (stable output). */
export function ranked(counts: Counts): [string, number][] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

function errorsOf(errors: Counts, failures: number): ErrorCount[] {
  return ranked(errors).map(([errorType, count]) => ({
    errorType,
    count,
    share: failures > 0 ? Math.min(1, count / failures) : 0,
    hint: preventionHint(errorType),
  }));
}

/**
 * Failure analysis: error types per capability with how to prevent them, the steps that fail inside
 * workflows, and how retries end. All-time figures: the rollup keeps error counts without days.
 * With a capability filter, workflows are narrowed to the steps of that capability.
 */
export function failureAnalysis(
  caps: readonly [string, CapabilityCell][],
  workflows: readonly [string, WorkflowCell][],
  only: string | null,
): Failures {
  const byCapability = caps
    .filter(([, c]) => c.failures > 0)
    .map(([capability, c]) => ({ capability, failures: c.failures, errors: errorsOf(c.errors, c.failures) }))
    .sort((a, b) => b.failures - a.failures || a.capability.localeCompare(b.capability));
  const totals = new Map<string, { count: number; capabilities: number }>();
  for (const [, c] of caps) {
    for (const [type, n] of ranked(c.errors)) {
      const t = totals.get(type) ?? { count: 0, capabilities: 0 };
      t.count += n;
      t.capabilities += 1;
      totals.set(type, t);
    }
  }
  const byErrorType = [...totals]
    .map(([errorType, t]) => ({
      errorType,
      count: t.count,
      capabilities: t.capabilities,
      hint: preventionHint(errorType),
    }))
    .sort((a, b) => b.count - a.count || a.errorType.localeCompare(b.errorType));
  const wf = workflows
    .filter(
      ([, w]) => only === null || (Object.hasOwn(w.stepFailures, only) && (w.stepFailures[only] ?? 0) > 0),
    )
    .map(([type, w]) => {
      const outcomes = ranked(w.outcomes).map(([outcome, count]) => ({ outcome, count }));
      const failedRuns = (w.outcomes.failed ?? 0) + (w.outcomes.blocked ?? 0);
      const steps = ranked(w.stepFailures).filter(([capability]) => only === null || capability === only);
      return {
        type,
        runs: w.runs,
        outcomes,
        completed: rateOf(Object.hasOwn(w.outcomes, 'completed') ? (w.outcomes.completed ?? 0) : 0, w.runs),
        stepsTotal: w.stepsTotal,
        stepsCompleted: w.stepsCompleted,
        stepsFailed: w.stepsFailed,
        failingSteps: steps.map(([capability, count]) => ({ capability, count })),
        errors: errorsOf(w.errors, failedRuns),
        durationMs: distributionOf(w.durationMs, DURATION_BOUNDS),
      };
    })
    .sort((a, b) => b.runs - a.runs || a.type.localeCompare(b.type));
  const retries = caps
    .filter(([, c]) => c.retries > 0)
    .map(([capability, c]) => ({
      capability,
      retries: c.retries,
      retrySuccess: rateOf(c.retrySuccesses, c.retries),
    }))
    .sort((a, b) => b.retries - a.retries || a.capability.localeCompare(b.capability));
  return { byCapability, byErrorType, workflows: wf, retries };
}
