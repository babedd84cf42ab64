import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createPseudonymizer, PSEUDONYM_PATTERN } from '../../lib/privacy/pseudonym.ts';

/** The definition the pseudonyms in every saved state and export were made with. */
function reference(secret: Uint8Array, kind: string, value: string): string {
  return `p_${createHmac('sha256', secret).update(`${kind}\u0000${value}`).digest('hex').slice(0, 16)}`;
}

describe('pseudonyms (lib/privacy/pseudonym.ts)', () => {
  it('property: equal to HMAC-SHA-256 for any secret length and any text, lone surrogates and long values included', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 200 }),
        fc.array(
          fc.tuple(
            fc.constantFrom('event:task', 'event:consultation', 'step', 'agent', 'project'),
            fc.oneof(
              fc.string({ unit: 'binary', maxLength: 40 }),
              fc.string({ unit: 'binary', minLength: 1100, maxLength: 3000 }),
            ),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        (secret, calls) => {
          const p = createPseudonymizer(secret, 3);
          // Twice: the second round comes from the cache (or not, for event ids) and must not differ.
          for (let round = 0; round < 2; round++)
            for (const [kind, value] of calls) assert.equal(p(kind, value), reference(secret, kind, value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps its shape and changes with the secret', () => {
    const a = createPseudonymizer(randomBytes(32));
    const b = createPseudonymizer(randomBytes(32));
    assert.match(a('agent', 'reviewer'), PSEUDONYM_PATTERN);
    assert.notEqual(a('agent', 'reviewer'), b('agent', 'reviewer'));
    assert.notEqual(a('agent', 'reviewer'), a('step', 'reviewer'));
    assert.throws(() => createPseudonymizer(randomBytes(31)), /at least 256 bits/);
  });
});
