import type { CapabilityCell, ExpertCell, HealthCell, Rollup, WorkflowCell } from '../../schema/rollup.ts';
import { emptySeries } from './series.ts';
import { emptySketch } from './sketch.ts';

export function emptyRollup(): Rollup {
  return {
    tasks: 0,
    workflowRuns: 0,
    consultationCount: 0,
    firstDay: null,
    lastDay: null,
    capabilities: {},
    workflows: {},
    experts: {},
    health: {},
    provided: { quality: 0, patterns: 0, decisions: 0, security: 0, files: 0, calibration: 0 },
    overflow: {},
  };
}

export function emptyCapability(): CapabilityCell {
  return {
    runs: 0,
    successes: 0,
    failures: 0,
    skips: 0,
    retries: 0,
    retrySuccesses: 0,
    durationMs: emptySketch(),
    quality: emptySketch(),
    subScores: {},
    series: emptySeries(),
    errors: {},
    security: {},
    patterns: {},
    decisions: {},
    languages: {},
  };
}

export function emptyWorkflow(): WorkflowCell {
  return {
    runs: 0,
    outcomes: {},
    durationMs: emptySketch(),
    stepsTotal: 0,
    stepsCompleted: 0,
    stepsFailed: 0,
    stepFailures: {},
    errors: {},
    series: emptySeries(),
  };
}

export function emptyExpert(): ExpertCell {
  return {
    consultations: 0,
    confidence: emptySketch(),
    meetsThreshold: 0,
    belowThreshold: 0,
    agreementSumMilli: 0,
    agreementCount: 0,
    experts: {},
    selectionReasons: {},
    askedBy: {},
    calibration: {},
    series: emptySeries(),
  };
}

export function emptyHealth(): HealthCell {
  return { records: 0, skipped: 0, lastDay: null };
}
