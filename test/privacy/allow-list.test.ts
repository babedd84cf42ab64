import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as v from 'valibot';
import { ALLOW_LIST, type EventName, rulesOf } from '../../lib/privacy/allow-list.ts';
import { schemaFieldPaths } from '../../lib/privacy/event-fields.ts';
import { consultationFacts, stepFacts } from '../../lib/privacy/link-facts.ts';
import { observeConsultation, observeTask, observeWorkflow } from '../../lib/privacy/observe.ts';
import { createPseudonymizer } from '../../lib/privacy/pseudonym.ts';
import { ConsultationEvent, TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import { Observation } from '../../schema/observation.ts';

/**
 * The allow-list table (lib/privacy/allow-list.ts) against the code: every schema field has a row,
 * and observe() uses a field if and only if its row says it is not dropped. Sample values carry the
 * marker `zqmk`, which no pseudonym (hex) and no framework name contains: it must never come out.
 */

const ctx = {
  pseudonymize: createPseudonymizer(new Uint8Array(32).fill(3)),
  now: new Date('2026-11-24T03:00:00Z'),
};
const MARK = /zqmk/i;

type Patch = Record<string, unknown>;
interface Sample {
  a: Patch;
  b: Patch;
  /** The event without the field (default: the base event), for dropped fields. */
  without?: Patch;
}

const SCHEMAS: Record<EventName, v.GenericSchema> = {
  task: TaskCompletedEvent,
  workflow: WorkflowCompletedEvent,
  consultation: ConsultationEvent,
};

const BASE: Record<EventName, Patch> = {
  task: { id: 't1', source: 'in-process', agent: 'implementer', action: 'implement', status: 'failure' },
  workflow: {
    id: 'w1',
    source: 'in-process',
    workflow: { id: 'rapid-dev-20261005-162122' },
    status: 'failed',
  },
  consultation: {
    id: 'c1',
    source: 'in-process',
    expertId: 'expert-security',
    domain: 'security',
    confidence: 0.5,
  },
};

function observe(event: EventName, e: Patch): unknown {
  if (event === 'task') return observeTask(e as never, ctx);
  if (event === 'workflow') return observeWorkflow(e as never, ctx);
  return observeConsultation(e as never, ctx);
}

/** What the calibration join keeps from an event (workflows take no part in it). */
function joinFacts(event: EventName, e: Patch): unknown {
  if (event === 'task') return stepFacts(e as never, ctx.pseudonymize);
  if (event === 'consultation') return consultationFacts(e as never, ctx.pseudonymize);
  return null;
}

const day = (d: number) => `2026-10-0${d}T10:00:00Z`;
const pair = (field: string, a: unknown, b: unknown): Sample => ({ a: { [field]: a }, b: { [field]: b } });
const ids = (field: string) => pair(field, 'zqmk-one', 'zqmk-two');
const inside = (s: Sample, without: Patch): Sample => ({ ...s, without });

const KIND_ONLY = { decision: { kind: 'k' } };

/** Two values per field, chosen so that a field the code uses changes the observation. */
const SAMPLES: Record<string, Sample> = {
  'task:id': ids('id'),
  'task:source': ids('source'),
  'task:agent': pair('agent', 'zqmk-bot-a', 'zqmk-bot-b'),
  'task:action': pair('action', 'zqmk-sync-a', 'zqmk-sync-b'),
  'task:status': pair('status', 'success', 'skipped'),
  'task:startedAt': {
    a: { startedAt: day(1), finishedAt: day(5) },
    b: { startedAt: day(3), finishedAt: day(5) },
  },
  'task:finishedAt': {
    a: { finishedAt: day(1), durationMs: 1000 },
    b: { finishedAt: day(3), durationMs: 1000 },
  },
  'task:durationMs': {
    a: { finishedAt: day(3), durationMs: 1000 },
    b: { finishedAt: day(3), durationMs: 2000 },
  },
  'task:attempt': pair('attempt', 1, 3),
  'task:qualityScore': pair('qualityScore', 10, 90),
  'task:qualityScores.*': pair(
    'qualityScores',
    { complexity: 10, zqmkName: 5 },
    { security: 90, zqmkName: 5 },
  ),
  'task:errorType': pair('errorType', 'TimeoutError', 'zqmkBillingError'),
  'task:errorMessage': pair('errorMessage', 'connection refused zqmk', 'permission denied zqmk'),
  'task:workflow.id': {
    a: { workflow: { id: 'zqmk-flow-20261005-162122' }, stepId: 's' },
    b: { workflow: { id: 'fix-20261005-162122' }, stepId: 's' },
  },
  'task:workflow.type': pair('workflow', { type: 'zqmk-flow' }, { type: 'fix' }),
  'task:workflow.name': inside(
    pair('workflow', { type: 'fix', name: 'zqmk A' }, { type: 'fix', name: 'zqmk B' }),
    { workflow: { type: 'fix' } },
  ),
  'task:stepId': {
    a: { workflow: { id: 'fix-1' }, stepId: 'zqmk-a' },
    b: { workflow: { id: 'fix-1' }, stepId: 'zqmk-b' },
  },
  'task:files[]': pair('files', ['/home/zqmk/a.py'], ['C:\\zqmk\\b.ts']),
  'task:patternsUsed[].type': pair('patternsUsed', [{ type: 'function' }], [{ type: 'zqmk-kind' }]),
  'task:patternsUsed[].id': inside(
    pair('patternsUsed', [{ type: 'class', id: 'zqmk_a' }], [{ type: 'class', id: 'zqmk_b' }]),
    { patternsUsed: [{ type: 'class' }] },
  ),
  'task:decision.kind': pair('decision', { kind: 'zqmk-a' }, { kind: 'zqmk-b' }),
  'task:decision.chosen': inside(
    pair('decision', { kind: 'k', chosen: 'zqmk a' }, { kind: 'k', chosen: 'zqmk b' }),
    KIND_ONLY,
  ),
  'task:decision.alternatives[]': inside(
    pair(
      'decision',
      { kind: 'k', alternatives: ['zqmk a'] },
      { kind: 'k', alternatives: ['zqmk b', 'zqmk c'] },
    ),
    KIND_ONLY,
  ),
  'task:decision.reason': inside(
    pair('decision', { kind: 'k', reason: 'zqmk a' }, { kind: 'k', reason: 'zqmk b' }),
    KIND_ONLY,
  ),
  'task:decision.confidence': inside(
    pair('decision', { kind: 'k', confidence: 0.1 }, { kind: 'k', confidence: 0.9 }),
    KIND_ONLY,
  ),
  'task:securityFindings[].ruleId': pair(
    'securityFindings',
    [{ ruleId: 'B105', severity: 'high' }],
    [{ ruleId: 'zqmk-rule', severity: 'high' }],
  ),
  'task:securityFindings[].severity': pair(
    'securityFindings',
    [{ ruleId: 'B105', severity: 'high' }],
    [{ ruleId: 'B105', severity: 'zqmk' }],
  ),
  'task:metadata.*': pair('metadata', { zqmkKey: 'zqmk a' }, { zqmkOther: 42 }),

  'workflow:id': ids('id'),
  'workflow:source': ids('source'),
  'workflow:workflow.id': pair(
    'workflow',
    { id: 'zqmk-flow-20261005-162122' },
    { id: 'fix-20261005-162122' },
  ),
  'workflow:workflow.type': pair('workflow', { type: 'zqmk-flow' }, { type: 'fix' }),
  'workflow:workflow.name': inside(
    pair('workflow', { id: 'fix-1', name: 'zqmk A' }, { id: 'fix-1', name: 'zqmk B' }),
    { workflow: { id: 'fix-1' } },
  ),
  'workflow:status': pair('status', 'completed', 'blocked'),
  'workflow:startedAt': pair('startedAt', day(1), day(3)),
  'workflow:finishedAt': pair('finishedAt', day(1), day(3)),
  'workflow:durationMs': pair('durationMs', 1000, 2000),
  'workflow:stepsTotal': pair('stepsTotal', 1, 9),
  'workflow:stepsCompleted': pair('stepsCompleted', 1, 9),
  'workflow:stepsFailed': pair('stepsFailed', 1, 9),
  'workflow:errorType': pair('errorType', 'TimeoutError', 'zqmkBillingError'),
  'workflow:errorMessage': pair('errorMessage', 'connection refused zqmk', 'permission denied zqmk'),
  'workflow:metadata.*': pair('metadata', { zqmkKey: 'zqmk a' }, { zqmkOther: 42 }),

  'consultation:id': ids('id'),
  'consultation:source': ids('source'),
  'consultation:expertId': pair('expertId', 'zqmk-expert-a', 'zqmk-expert-b'),
  'consultation:domain': pair('domain', 'zqmk-domain-a', 'zqmk-domain-b'),
  'consultation:confidence': pair('confidence', 0.2, 0.8),
  'consultation:threshold': pair('threshold', 0.3, 0.7),
  'consultation:meetsThreshold': pair('meetsThreshold', true, false),
  'consultation:agreementLevel': pair('agreementLevel', 0.2, 0.8),
  'consultation:numExperts': pair('numExperts', 1, 7),
  'consultation:selectionReason': pair('selectionReason', 'weight-matrix', 'zqmk because'),
  'consultation:agent': pair('agent', 'zqmk-asker', 'reviewer'),
  'consultation:at': pair('at', day(1), day(3)),
  'consultation:combinedConfidence': pair('combinedConfidence', 0.15, 0.85),
  'consultation:workflow.id': {
    a: { workflow: { id: 'zqmk-a-20261005-162122' }, stepId: 's' },
    b: { workflow: { id: 'fix-20261005-162122' }, stepId: 's' },
  },
  'consultation:workflow.type': pair('workflow', { type: 'zqmk-a' }, { type: 'fix' }),
  'consultation:workflow.name': pair('workflow', { name: 'zqmk A' }, { name: 'zqmk B' }),
  'consultation:stepId': {
    a: { workflow: { id: 'fix-1' }, stepId: 'zqmk-a' },
    b: { workflow: { id: 'fix-1' }, stepId: 'zqmk-b' },
  },
  'consultation:sessionId': ids('sessionId'),
  'consultation:query': pair('query', 'def charge_card( zqmk', 'SELECT * FROM zqmk'),
  'consultation:metadata.*': pair('metadata', { zqmkKey: 'zqmk a' }, { zqmkOther: 42 }),
};

const EVENTS: EventName[] = ['task', 'workflow', 'consultation'];

describe('allow-list table (lib/privacy/allow-list.ts)', () => {
  it('classifies every field of every event schema, nested fields included, and nothing else', () => {
    for (const event of EVENTS) {
      const inSchema = new Set(schemaFieldPaths(SCHEMAS[event]));
      const inTable = new Set(rulesOf(event).map((r) => r.field));
      const unclassified = [...inSchema].filter((f) => !inTable.has(f));
      const stale = [...inTable].filter((f) => !inSchema.has(f));
      assert.deepEqual(
        unclassified,
        [],
        `${event} event fields with no row in ALLOW_LIST: ${unclassified.join(', ')}`,
      );
      assert.deepEqual(
        stale,
        [],
        `${event} rows in ALLOW_LIST for fields the schema no longer has: ${stale.join(', ')}`,
      );
      assert.equal(inTable.size, rulesOf(event).length, `${event}: a field is classified twice`);
    }
  });

  it('has a pair of sample values for every row (a new row needs one here)', () => {
    const rows = new Set(ALLOW_LIST.map((r) => `${r.event}:${r.field}`));
    assert.deepEqual(
      Object.keys(SAMPLES).filter((k) => !rows.has(k)),
      [],
    );
    assert.deepEqual(
      [...rows].filter((k) => !Object.hasOwn(SAMPLES, k)),
      [],
    );
  });

  it('observe() uses a field if and only if its row does not say dropped, and never lets a marker through', () => {
    let dropped = 0;
    let used = 0;
    for (const rule of ALLOW_LIST) {
      const key = `${rule.event}:${rule.field}`;
      const s = SAMPLES[key] as Sample;
      const base = BASE[rule.event];
      const oa = observe(rule.event, { ...base, ...s.a });
      const ob = observe(rule.event, { ...base, ...s.b });
      const fa = joinFacts(rule.event, { ...base, ...s.a });
      const fb = joinFacts(rule.event, { ...base, ...s.b });
      assert.ok(oa && ob, `${key}: both samples must be observable`);
      for (const o of [oa, ob]) {
        assert.ok(v.is(Observation, o), `${key}: observation fails its schema`);
        assert.doesNotMatch(
          JSON.stringify(o),
          MARK,
          `${key}: a sample value came through (${rule.treatment})`,
        );
      }
      for (const f of [fa, fb])
        assert.doesNotMatch(JSON.stringify(f), MARK, `${key}: a sample value reached the calibration join`);
      if (rule.join === undefined)
        assert.deepEqual(fa, fb, `${key} has no calibration-join column but the join reads it`);
      else assert.notDeepEqual(fa, fb, `${key} says the calibration join reads it, but it does not`);
      if (rule.becomes === '—' && rule.treatment !== 'dropped') {
        // Read by the join only: the observation must not depend on it.
        used++;
        assert.ok(rule.join, `${key}: not dropped, so it must feed an observation or the join`);
        assert.deepEqual(oa, ob, `${key} is read by the join only but changes the observation`);
        continue;
      }
      if (rule.treatment === 'dropped') {
        dropped++;
        assert.deepEqual(oa, ob, `${key} is classified dropped but changes the observation`);
        assert.deepEqual(
          oa,
          observe(rule.event, { ...base, ...s.without }),
          `${key} is classified dropped but is read`,
        );
      } else {
        used++;
        const fields = rule.becomes.split(',').map((f) => f.trim().split('.')[0] as string);
        const changed = fields.filter(
          (f) =>
            JSON.stringify((oa as Record<string, unknown>)[f]) !==
            JSON.stringify((ob as Record<string, unknown>)[f]),
        );
        assert.ok(
          changed.length > 0,
          `${key} is classified ${rule.treatment} into ${rule.becomes}, but that did not change`,
        );
      }
    }
    console.log(
      `allow-list: ${ALLOW_LIST.length} fields checked, ${used} used as classified, ${dropped} dropped without effect`,
    );
  });

  it('ignores fields the schema does not declare, at every depth', () => {
    const extra = { zqmkExtra: 'zqmk value', zqmkNumber: 7 };
    const task = {
      ...BASE.task,
      workflow: { type: 'fix' },
      decision: { kind: 'k' },
      patternsUsed: [{ type: 'class' }],
      securityFindings: [{ ruleId: 'B105', severity: 'low' }],
    };
    const withExtras = {
      ...task,
      ...extra,
      workflow: { ...task.workflow, ...extra },
      decision: { ...task.decision, ...extra },
      patternsUsed: [{ ...task.patternsUsed[0], ...extra }],
      securityFindings: [{ ...task.securityFindings[0], ...extra }],
    };
    assert.deepEqual(observe('task', withExtras), observe('task', task));
    const wf = BASE.workflow as { workflow: object };
    assert.deepEqual(
      observe('workflow', { ...BASE.workflow, ...extra, workflow: { ...wf.workflow, ...extra } }),
      observe('workflow', BASE.workflow),
    );
    assert.deepEqual(
      observe('consultation', { ...BASE.consultation, ...extra }),
      observe('consultation', BASE.consultation),
    );
  });

  it('property: marker text in every string field (and in extra fields) never reaches an observation or the join', () => {
    const marker = fc.string({ minLength: 0, maxLength: 12 }).map((s) => `${s}zqmk${s.length}`);
    const framework = fc.constantFrom(
      'implementer',
      'reviewer',
      'fix',
      'security',
      'expert-security',
      'B105',
      'high',
    );
    const text = fc.oneof(
      marker,
      framework,
      marker.map((m) => `/home/${m}/src/${m}.py`),
    );
    const time = fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
    const ref = fc.record({ id: text, type: text, name: text }, { requiredKeys: [] });
    const meta = fc.dictionary(marker, fc.oneof(marker, fc.integer()), { maxKeys: 3 });
    const task = fc.record({
      id: marker,
      source: text,
      agent: text,
      action: text,
      status: fc.constantFrom('success', 'failure', 'skipped'),
      startedAt: time,
      finishedAt: time,
      qualityScores: fc.dictionary(text, fc.double({ min: 0, max: 100, noNaN: true }), { maxKeys: 3 }),
      errorType: text,
      errorMessage: text,
      workflow: ref,
      stepId: marker,
      files: fc.array(text, { maxLength: 4 }),
      patternsUsed: fc.array(fc.record({ type: text, id: marker }), { maxLength: 3 }),
      decision: fc.record({
        kind: text,
        chosen: marker,
        alternatives: fc.array(marker, { maxLength: 3 }),
        reason: marker,
      }),
      securityFindings: fc.array(fc.record({ ruleId: text, severity: text }), { maxLength: 3 }),
      metadata: meta,
      zqmkExtra: marker,
    });
    const workflow = fc.record({
      id: marker,
      source: text,
      workflow: ref,
      status: fc.constantFrom('completed', 'failed', 'cancelled', 'paused', 'blocked'),
      startedAt: time,
      finishedAt: time,
      errorType: text,
      errorMessage: text,
      metadata: meta,
      zqmkExtra: marker,
    });
    const consultation = fc.record({
      id: marker,
      source: text,
      expertId: text,
      domain: text,
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      combinedConfidence: fc.double({ min: 0, max: 1, noNaN: true }),
      selectionReason: text,
      agent: text,
      at: time,
      workflow: ref,
      stepId: marker,
      sessionId: marker,
      query: text,
      metadata: meta,
      zqmkExtra: marker,
    });
    const runs = 3000;
    let observed = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          task.map((e) => ['task', e] as const),
          workflow.map((e) => ['workflow', e] as const),
          consultation.map((e) => ['consultation', e] as const),
        ),
        ([kind, e]) => {
          if (MARK.test(JSON.stringify(joinFacts(kind, e as Patch)))) return false;
          const o = observe(kind, e as Patch);
          if (o === null) return true;
          observed++;
          return v.is(Observation, o) && !MARK.test(JSON.stringify(o));
        },
      ),
      { numRuns: runs, seed: Number(process.env.FC_SEED ?? 4_04_2026) },
    );
    console.log(
      `allow-list property: ${runs} random events with markers in every field, ${observed} observed, 0 markers through`,
    );
  });
});
