import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyNotice, policyText, policyVersions } from '../../lib/submit/policy-text.ts';
import { PRIVACY_POLICY_VERSION } from '../../schema/export-v1.ts';

describe('privacy policy text', () => {
  it('exists for the current policy version (a new version needs a new text)', () => {
    assert.ok(policyVersions().includes(PRIVACY_POLICY_VERSION));
    const n = policyNotice();
    assert.match(n, new RegExp(`privacy policy ${PRIVACY_POLICY_VERSION}`));
    for (const part of [
      'What is shared',
      'What is never shared',
      'Safeguards',
      'Where it goes',
      'What you can check',
      'Your controls',
    ])
      assert.match(n, new RegExp(part));
    assert.match(n, /DO_NOT_TRACK=1/);
    assert.match(n, /--dry-run/);
  });

  it('has no text for an unknown version, and never reads inherited keys', () => {
    assert.equal(policyText('1999-01-1'), undefined);
    assert.equal(policyText('__proto__'), undefined);
    assert.equal(policyText('toString'), undefined);
    assert.throws(() => policyNotice('1999-01-1'), /no policy text/);
  });
});
