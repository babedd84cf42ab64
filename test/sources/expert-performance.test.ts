import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dumps, f } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const Q = 'Review this code for security vulnerabilities:\ndef charge(x): ...';

describe('expert performance and confidence metrics readers', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('emits one consultation per expert line, joined to the asking agent’s entry across timestamp styles', async () => {
    t.write(
      'learning/expert_performance.jsonl',
      // 3.6: naive UTC; its confidence_metrics entry is naive local time (Los Angeles).
      `${dumps({ expert_id: 'expert-security', domain: 'security', confidence: f(0.0), query: Q, timestamp: '2026-09-29T16:21:17.644625' })}\n` +
        // 3.7: aware, two experts answered; the entry lists both.
        `${dumps({ expert_id: 'expert-Initech-ledger-rules', domain: 'initech_ledger_rules', confidence: f(0.82), query: Q, timestamp: '2026-11-24T02:02:45.583774+00:00', expert_ids: ['expert-Initech-ledger-rules', 'expert-security'], selection_reason: 'domain_match_customer' })}\n` +
        `${dumps({ expert_id: 'expert-security', domain: 'initech_ledger_rules', confidence: f(0.6), query: Q, timestamp: '2026-11-24T02:02:45.583900+00:00', expert_ids: ['expert-Initech-ledger-rules', 'expert-security'], selection_reason: 'domain_match_customer' })}\n` +
        // `expert consult` from the CLI: no agent, no entry.
        `${dumps({ expert_id: 'expert-testing', domain: 'testing-strategies', confidence: f(0.5), query: 'q', timestamp: '2026-11-24T03:00:00+00:00' })}\n` +
        `${dumps({ expert_id: 'expert-x', domain: 'd', confidence: f(1.5), query: 'q', timestamp: '2026-11-24T03:00:00+00:00' })}\n`,
    );
    t.write(
      'confidence_metrics.json',
      dumps(
        {
          metrics: [
            {
              timestamp: '2026-09-29T09:21:17.644708',
              agent_id: 'implementer',
              domain: 'security',
              confidence: f(0.35),
              threshold: f(0.7),
              meets_threshold: false,
              agreement_level: f(1.0),
              num_experts: 1,
              primary_expert: 'expert-security',
              query_preview: Q.slice(0, 100),
            },
            {
              timestamp: '2026-11-23T18:02:45.584100',
              agent_id: 'reviewer',
              domain: 'initech_ledger_rules',
              confidence: f(0.71),
              threshold: f(0.7),
              meets_threshold: true,
              agreement_level: f(0.8),
              num_experts: 2,
              primary_expert: 'expert-Initech-ledger-rules',
              query_preview: Q.slice(0, 100),
              expert_ids: ['expert-Initech-ledger-rules', 'expert-security'],
              selection_reason: 'domain_match_customer',
            },
          ],
        },
        2,
      ),
    );
    const c = await collect(t.dir, {}, { stores: ['confidence-metrics', 'expert-performance'] });
    assert.deepEqual(
      c.consultations.map((e) => [
        e.expertId,
        e.domain,
        e.confidence,
        e.agent ?? null,
        e.meetsThreshold ?? null,
        e.numExperts ?? null,
        e.at,
      ]),
      [
        ['expert-security', 'security', 0, 'implementer', false, 1, '2026-09-29T16:21:17.644Z'],
        [
          'expert-initech-ledger-rules',
          'initech-ledger-rules',
          0.82,
          'reviewer',
          true,
          2,
          '2026-11-24T02:02:45.583Z',
        ],
        ['expert-security', 'initech-ledger-rules', 0.6, 'reviewer', true, 2, '2026-11-24T02:02:45.583Z'],
        ['expert-testing', 'testing-strategies', 0.5, null, null, null, '2026-11-24T03:00:00.000Z'],
      ],
    );
    assert.equal(c.consultations[1]?.selectionReason, 'domain-match-customer');
    assert.equal(c.consultations[0]?.combinedConfidence, 0.35);
    assert.equal(c.consultations[0]?.query, Q);
    assert.deepEqual(c.stats['expert-performance'].problems, [
      {
        path: 'learning/expert_performance.jsonl',
        line: 5,
        reason: 'consultation without expert_id, domain, timestamp or a 0..1 confidence',
      },
    ]);
    assert.equal(c.stats['confidence-metrics'].records, 2);
    assert.equal(c.stats['confidence-metrics'].emitted, 0);
  });

  it('with the wrong zone the local-time entries do not join (the fixture’s zone must be given)', async () => {
    const c = await collect(
      t.dir,
      {},
      { stores: ['confidence-metrics', 'expert-performance'], timeZone: 'UTC' },
    );
    assert.equal(c.consultations.filter((e) => e.agent !== undefined).length, 0);
  });

  it('counts only new confidence entries on the next run, and new lines only', async () => {
    const first = await collect(t.dir, {}, { stores: ['confidence-metrics', 'expert-performance'] });
    t.append(
      'learning/expert_performance.jsonl',
      `${dumps({ expert_id: 'expert-security', domain: 'security', confidence: f(0.9), query: 'q2', timestamp: '2026-11-25T00:00:00+00:00' })}\n`,
    );
    const c = await collect(t.dir, first.checkpoints, {
      stores: ['confidence-metrics', 'expert-performance'],
    });
    assert.deepEqual(
      c.consultations.map((e) => e.id),
      ['consult:expert-security:2026-11-25T00:00:00+00:00'],
    );
    assert.equal(c.stats['confidence-metrics'].records, 0);
    assert.equal(
      emittedCount(
        await collect(t.dir, c.checkpoints, { stores: ['confidence-metrics', 'expert-performance'] }),
      ),
      0,
    );
  });
});
