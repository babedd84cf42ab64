import fc from 'fast-check';
import { observeConsultation, observeTask, observeWorkflow } from '../../lib/privacy/observe.ts';
import { createPseudonymizer } from '../../lib/privacy/pseudonym.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import type { ConsultationEvent, TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import type { Observation } from '../../schema/observation.ts';
import type { Rollup } from '../../schema/rollup.ts';

/**
 * Random host events for the aggregation-privacy properties: framework and custom names from
 * pools small enough that cells of every size occur (many below any k), several labels per task
 * (files, patterns, findings, repeats included), days over ten weeks. They go through observe()
 * and add(), exactly as a project's events do.
 */

const DAY0 = Date.parse('2026-09-07T00:00:00Z');
const time = fc
  .integer({ min: 0, max: 70 * 24 - 1 })
  .map((h) => new Date(DAY0 + h * 3_600_000).toISOString());
const agent = fc.constantFrom('implementer', 'reviewer', 'tester', 'globex-bot');
const action = fc.constantFrom(
  'implement',
  'review-code',
  'write-tests',
  'sync_invoices',
  'refund_batch',
  'audit',
);
const file = fc.constantFrom('a.py', 'b.ts', 'c.go', 'd.rs', 'e.sql', 'f.md', 'g.vue', 'Dockerfile');
const pattern = fc.constantFrom('function', 'class', 'import', 'decorators', 'weird');
const finding = fc.record({
  ruleId: fc.constantFrom('B105', 'B608', 'acme-no-eval', 'CWE-798'),
  severity: fc.constantFrom('low', 'high', 'critical'),
});
const workflowType = fc.constantFrom(
  'rapid-dev',
  'fix',
  'full-sdlc',
  'globex-invoice-migration',
  'nightly-sync',
);

export const taskEvent: fc.Arbitrary<TaskCompletedEvent> = fc.record(
  {
    id: fc.uuid(),
    source: fc.constant('test'),
    agent,
    action,
    status: fc.constantFrom('success', 'success', 'failure', 'skipped') as fc.Arbitrary<
      'success' | 'failure' | 'skipped'
    >,
    finishedAt: time,
    durationMs: fc.integer({ min: 0, max: 3_600_000 }),
    attempt: fc.integer({ min: 1, max: 3 }),
    qualityScore: fc.integer({ min: 0, max: 100 }),
    qualityScores: fc.dictionary(
      fc.constantFrom('complexity', 'security', 'maintainability'),
      fc.integer({ min: 0, max: 100 }),
      { maxKeys: 2 },
    ),
    errorType: fc.constantFrom('TimeoutError', 'ValueError', 'GlobexError', 'KeyError'),
    workflow: workflowType.map((type) => ({ type })),
    files: fc.array(file, { maxLength: 4 }),
    patternsUsed: fc.array(
      pattern.map((type) => ({ type })),
      { maxLength: 4 },
    ),
    decision: fc.constantFrom('retry', 'escalate', 'skip').map((kind) => ({ kind })),
    securityFindings: fc.array(finding, { maxLength: 4 }),
  },
  { requiredKeys: ['id', 'source', 'agent', 'status', 'finishedAt'] },
);

export const workflowEvent: fc.Arbitrary<WorkflowCompletedEvent> = fc.record(
  {
    id: fc.uuid(),
    source: fc.constant('test'),
    workflow: workflowType.map((type) => ({ type })),
    status: fc.constantFrom('completed', 'failed', 'cancelled', 'paused', 'blocked') as fc.Arbitrary<
      WorkflowCompletedEvent['status']
    >,
    finishedAt: time,
    durationMs: fc.integer({ min: 0, max: 36_000_000 }),
    stepsTotal: fc.nat(12),
    stepsCompleted: fc.nat(12),
    stepsFailed: fc.nat(3),
    errorType: fc.constantFrom('RuntimeError', 'TimeoutError'),
  },
  { requiredKeys: ['id', 'source', 'workflow', 'status', 'finishedAt'] },
);

export const consultationEvent: fc.Arbitrary<ConsultationEvent> = fc.record(
  {
    id: fc.uuid(),
    source: fc.constant('test'),
    expertId: fc.constantFrom('expert-security', 'expert-performance', 'expert-globex-billing'),
    domain: fc.constantFrom('security', 'performance-optimization', 'globex-billing-rules'),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    meetsThreshold: fc.boolean(),
    agreementLevel: fc.double({ min: 0, max: 1, noNaN: true }),
    selectionReason: fc.constantFrom('weight-matrix', 'fallback-all', 'because'),
    agent: fc.constantFrom('reviewer', 'implementer', 'globex-bot'),
    at: time,
  },
  { requiredKeys: ['id', 'source', 'expertId', 'domain', 'confidence', 'at'] },
);

export type AnyEvent =
  | { kind: 'task'; event: TaskCompletedEvent }
  | { kind: 'workflow'; event: WorkflowCompletedEvent }
  | { kind: 'consultation'; event: ConsultationEvent };

export const events: fc.Arbitrary<AnyEvent[]> = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: taskEvent.map((event) => ({ kind: 'task' as const, event })) },
    { weight: 2, arbitrary: workflowEvent.map((event) => ({ kind: 'workflow' as const, event })) },
    { weight: 2, arbitrary: consultationEvent.map((event) => ({ kind: 'consultation' as const, event })) },
  ),
  { maxLength: 250 },
);

const ctx = {
  pseudonymize: createPseudonymizer(new Uint8Array(32).fill(9)),
  now: new Date('2026-11-24T03:00:00Z'),
};

/** Events → observations (the allow-list) → rollup, as the recorder does. */
export function rollupOf(list: readonly AnyEvent[]): { rollup: Rollup; observations: Observation[] } {
  const rollup = emptyRollup();
  const observations: Observation[] = [];
  for (const e of list) {
    const o =
      e.kind === 'task'
        ? observeTask(e.event, ctx)
        : e.kind === 'workflow'
          ? observeWorkflow(e.event, ctx)
          : observeConsultation(e.event, ctx);
    if (!o) continue;
    observations.push(o);
    add(rollup, o);
  }
  return { rollup, observations };
}
