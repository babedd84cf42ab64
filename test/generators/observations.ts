import fc from 'fast-check';
import type { Observation } from '../../schema/observation.ts';

/** Labels from a small pool, so arbitrary observations collide on keys like real ones do. */
const label = fc.constantFrom(
  'implementer.write-code',
  'reviewer.review-code',
  'tester.write-tests',
  'p_0123456789abcdef',
  '__other__',
);
const day = fc.integer({ min: 20_300, max: 20_500 });
const score = fc.double({ min: 0, max: 100, noNaN: true });

export const taskObservation = fc.record(
  {
    kind: fc.constant('task' as const),
    capability: label,
    status: fc.constantFrom('success' as const, 'failure' as const, 'skipped' as const),
    day,
    attempt: fc.integer({ min: 1, max: 4 }),
    durationMs: fc.double({ min: 0, max: 3_600_000, noNaN: true }),
    quality: score,
    subScores: fc.dictionary(fc.constantFrom('security', 'complexity', 'overall'), score, { maxKeys: 2 }),
    errorType: fc.constantFrom('TimeoutError', 'ValueError', 'timeout'),
    workflowType: fc.constantFrom('rapid-dev', 'fix', 'p_00000000000000aa'),
    languages: fc.array(fc.constantFrom('python', 'typescript', 'other'), { maxLength: 3 }),
    patterns: fc.array(fc.constantFrom('function', 'class'), { maxLength: 2 }),
    decision: fc.constantFrom('p_1111111111111111', 'p_2222222222222222'),
    security: fc.array(
      fc.record({ rule: fc.constantFrom('B101', 'B608'), severity: fc.constantFrom('low', 'high') }),
      {
        maxLength: 2,
      },
    ),
  },
  { requiredKeys: ['kind', 'capability', 'status', 'day', 'attempt'] },
);

export const workflowObservation = fc.record(
  {
    kind: fc.constant('workflow' as const),
    workflowType: fc.constantFrom('rapid-dev', 'fix', 'full-sdlc'),
    outcome: fc.constantFrom('completed' as const, 'failed' as const, 'blocked' as const),
    day,
    durationMs: fc.double({ min: 0, max: 36_000_000, noNaN: true }),
    stepsTotal: fc.nat(20),
    stepsCompleted: fc.nat(20),
    stepsFailed: fc.nat(5),
    errorType: fc.constantFrom('RuntimeError', 'timeout'),
  },
  { requiredKeys: ['kind', 'workflowType', 'outcome', 'day'] },
);

export const consultationObservation = fc.record(
  {
    kind: fc.constant('consultation' as const),
    domain: fc.constantFrom('security', 'performance-optimization', 'p_3333333333333333'),
    expert: fc.constantFrom('expert-security', 'expert-performance'),
    confidence: score,
    day,
    meetsThreshold: fc.boolean(),
    agreement: fc.double({ min: 0, max: 1, noNaN: true }),
    selectionReason: fc.constantFrom('weight-matrix', 'fallback-all'),
    askedBy: fc.constantFrom('reviewer', 'implementer'),
  },
  { requiredKeys: ['kind', 'domain', 'expert', 'confidence', 'day'] },
);

export const observation: fc.Arbitrary<Observation> = fc.oneof(
  taskObservation,
  workflowObservation,
  consultationObservation,
);
