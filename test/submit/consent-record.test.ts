import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkConsent,
  emptyConsent,
  withGrant,
  withHubKey,
  withoutGrants,
  withoutHubKey,
} from '../../lib/submit/consent-record.ts';
import type { ConsentGrant } from '../../schema/consent.ts';

const g = (destination: string, policyVersion = '2026-11-1'): ConsentGrant => ({
  destination,
  grantedAt: '2026-11-20T00:00:00.000Z',
  how: 'interactive',
  via: 'consent grant',
  policyVersion,
});

describe('consent record', () => {
  const empty = emptyConsent('0'.repeat(64));

  it('a destination is approved only by its own grant under the current policy', () => {
    assert.deepEqual(checkConsent(empty, 'github:a/b', '2026-11-1'), {
      ok: false,
      reason: 'no-consent',
      approved: [],
    });
    const r = withGrant(empty, g('https://hub.example.org'));
    assert.equal(checkConsent(r, 'https://hub.example.org', '2026-11-1').ok, true);
    const other = checkConsent(r, 'https://evil.example.org', '2026-11-1');
    assert.deepEqual(other, {
      ok: false,
      reason: 'other-destination',
      approved: ['https://hub.example.org'],
    });
    const newer = checkConsent(r, 'https://hub.example.org', '2027-01-1');
    assert.equal(newer.ok === false && newer.reason, 'policy-changed');
  });

  it('granting again replaces; revoking records when, and only the named destinations', () => {
    let r = withGrant(withGrant(empty, g('a', '2025-01-1')), g('b'));
    r = withGrant(r, g('a'));
    assert.deepEqual(
      r.grants.map((x) => [x.destination, x.policyVersion]),
      [
        ['b', '2026-11-1'],
        ['a', '2026-11-1'],
      ],
    );
    const one = withoutGrants(r, ['a'], new Date('2026-11-21T00:00:00Z'));
    assert.deepEqual(one.revoked, ['a']);
    assert.deepEqual(
      one.record.grants.map((x) => x.destination),
      ['b'],
    );
    assert.deepEqual(one.record.revocations, [{ destination: 'a', revokedAt: '2026-11-21T00:00:00.000Z' }]);
    assert.deepEqual(withoutGrants(r, null, new Date()).record.grants, []);
  });

  it('keeps the first deletion key per hub and project unless the hub itself returns one', () => {
    const k = {
      destination: 'https://hub',
      projectId: 'p_0123456789abcdef',
      deletionToken: 'first',
      since: '2026-11-20T00:00:00.000Z',
    };
    const r = withHubKey(withHubKey(empty, k), { ...k, deletionToken: 'second' });
    assert.deepEqual(
      r.hubs.map((h) => h.deletionToken),
      ['first'],
    );
    assert.deepEqual(withoutHubKey(r, 'https://hub', 'p_0123456789abcdef').hubs, []);
    const fromHub = withHubKey(r, { ...k, deletionToken: 'hub-chosen' }, true);
    assert.deepEqual(
      fromHub.hubs.map((h) => h.deletionToken),
      ['hub-chosen'],
      'a token the hub returned replaces a derived one',
    );
  });
});
