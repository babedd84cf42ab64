import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  observeConsultation,
  observeTask,
  observeWorkflow,
  workflowTypeOf,
} from '../../lib/privacy/observe.ts';
import { createPseudonymizer, PSEUDONYM_PATTERN } from '../../lib/privacy/pseudonym.ts';

const ctx = {
  pseudonymize: createPseudonymizer(new Uint8Array(32).fill(7)),
  now: new Date('2026-11-24T03:00:00Z'),
};

describe('observe (the allow-list)', () => {
  it('keeps framework names readable, one spelling for hyphen and underscore', () => {
    const a = observeTask(
      { id: '1', source: 't', agent: 'Implementer', action: 'write_code', status: 'success' },
      ctx,
    );
    const b = observeTask(
      { id: '2', source: 't', agent: 'implementer', action: 'write-code', status: 'success' },
      ctx,
    );
    assert.equal(a?.capability, 'implementer.write-code');
    assert.equal(b?.capability, 'implementer.write-code');
  });

  it('pseudonymizes project-specific names with the keyed hash', () => {
    const o = observeTask(
      { id: '1', source: 't', agent: 'implementer', action: 'sync_Globex_invoices', status: 'success' },
      ctx,
    );
    assert.match(o?.capability ?? '', /^implementer\.p_[0-9a-f]{16}$/);
    const custom = observeTask({ id: '1', source: 't', agent: 'globex-bot', status: 'success' }, ctx);
    assert.match(custom?.capability ?? '', PSEUDONYM_PATTERN);
    const other = createPseudonymizer(new Uint8Array(32).fill(8));
    const o2 = observeTask(
      { id: '1', source: 't', agent: 'globex-bot', status: 'success' },
      { ...ctx, pseudonymize: other },
    );
    assert.notEqual(custom?.capability, o2?.capability, 'another project secret gives another pseudonym');
  });

  it('drops free text, paths and metadata: only typed fields come through', () => {
    const o = observeTask(
      {
        id: 'rapid-dev-20261002/implementation/1',
        source: 'markers',
        agent: 'implementer',
        action: 'implement',
        status: 'failure',
        errorMessage:
          'TimeoutError: /home/alice/acme-payments/src/billing/invoice.py took too long ghp_R8xK2mQv9LpT4wZc7NbY1sHd6FjA3uEo5GiX',
        files: ['/home/alice/acme-payments/src/billing/refund_reconciler.py', 'C:\\Users\\alice\\x.ts'],
        workflow: { id: 'globex-invoice-migration-20261005-162122-459427', name: 'Globex Invoice Migration' },
        finishedAt: '2026-10-05T16:30:00.000Z',
        metadata: { prompt: 'def charge_card(' },
        decision: { kind: 'pattern_extraction_threshold', reason: 'alice@acme-corp.com said so' },
      },
      ctx,
    );
    assert.ok(o);
    const text = JSON.stringify(o);
    for (const secret of [
      'alice',
      'acme',
      'ghp_',
      'invoice',
      'refund',
      'Globex',
      'globex',
      'charge_card',
      'home',
    ])
      assert.ok(!text.includes(secret), `${secret} leaked into ${text}`);
    assert.equal(o.errorType, 'TimeoutError');
    assert.deepEqual(o.languages?.sort(), ['python', 'typescript']);
    assert.match(o.workflowType ?? '', PSEUDONYM_PATTERN);
    assert.equal(o.day, Math.floor(Date.parse('2026-10-05T00:00:00Z') / 86_400_000));
  });

  it('turns an untyped error message into a category, never the message', () => {
    const o = observeTask(
      {
        id: '1',
        source: 't',
        agent: 'tester',
        status: 'failure',
        errorMessage: 'connection refused by db01.corp',
      },
      ctx,
    );
    assert.equal(o?.errorType, 'network');
    const u = observeTask(
      { id: '1', source: 't', agent: 'tester', status: 'failure', errorType: 'GlobexSyncError' },
      ctx,
    );
    assert.equal(u?.errorType, 'unknown');
  });

  it('rejects events it cannot observe instead of guessing', () => {
    assert.equal(observeTask({ id: '1', source: 't', agent: '', status: 'success' }, ctx), null);
    assert.equal(observeTask({ id: '1', source: 't', agent: 'x', status: 'done' as never }, ctx), null);
    assert.equal(
      observeConsultation({ id: '1', source: 't', expertId: 'e', domain: 'd', confidence: 1.5 }, ctx),
      null,
    );
  });

  it('derives workflow types from ids and keeps preset names', () => {
    assert.equal(workflowTypeOf({ id: 'rapid-dev-20260926-091432' }), 'rapid-dev');
    assert.equal(workflowTypeOf({ id: 'rapid-dev-20260203-180738-764404' }), 'rapid-dev');
    assert.equal(workflowTypeOf({ id: 'story-4.1-20261009-110916' }), 'story');
    const w = observeWorkflow(
      {
        id: 'w',
        source: 't',
        workflow: { id: 'full-sdlc-20261107-123053' },
        status: 'completed',
        durationMs: 5,
      },
      ctx,
    );
    assert.equal(w?.workflowType, 'full-sdlc');
  });

  it('observes consultations on a 0..100 scale with the threshold decision', () => {
    const c = observeConsultation(
      {
        id: '1',
        source: 't',
        expertId: 'expert-Globex-billing-rules',
        domain: 'globex-billing-rules',
        confidence: 0.35,
        threshold: 0.7,
        agent: 'agent-learner',
      },
      ctx,
    );
    assert.ok(c);
    assert.equal(c.confidence, 35);
    assert.equal(c.meetsThreshold, false);
    assert.match(c.domain, PSEUDONYM_PATTERN);
    assert.match(c.expert, PSEUDONYM_PATTERN);
    assert.equal(c.askedBy, 'agent-learner');
  });
});
