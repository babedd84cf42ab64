import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bearerToken,
  newDeletionToken,
  parseTokens,
  TokenFileError,
  tokenHash,
} from '../../lib/hub/tokens.ts';
import { seededRandom } from './harness.ts';

test('a token file: one per line, comments and blank lines skipped, only hashes kept', () => {
  const hashes = parseTokens(
    '# CI\nci-token-0123456789abcdef\r\n\n  laptop-token-0123456789abcdef  \n',
    'tokens.txt',
  );
  assert.deepEqual(
    [...hashes].sort(),
    [tokenHash('ci-token-0123456789abcdef'), tokenHash('laptop-token-0123456789abcdef')].sort(),
  );
  assert.ok([...hashes].every((h) => /^[0-9a-f]{64}$/.test(h)));
});

test('a bad token file names the line and says how to fix it', () => {
  assert.throws(
    () => parseTokens('ok-token-0123456789abcdef\nwith space token 0123456789\n', 'tokens.txt'),
    (e: Error) => {
      assert.ok(e instanceof TokenFileError);
      assert.match(
        e.message,
        /^tokens\.txt:2: a token must be 16 to 512 printable characters without spaces \(generate one with: openssl rand -hex 32\)$/,
      );
      return true;
    },
  );
  assert.throws(() => parseTokens('# none\n', 'tokens.txt'), /holds no token/);
});

test('bearer tokens are read from the Authorization header only in the Bearer form', () => {
  assert.equal(bearerToken('Bearer abc.def-123'), 'abc.def-123');
  assert.equal(bearerToken('bearer   abc'), 'abc');
  assert.equal(bearerToken('Basic dXNlcjpwYXNz'), null);
  assert.equal(bearerToken('Bearer two words'), null);
  assert.equal(bearerToken(undefined), null);
});

test("deletion tokens carry 256 bits and are printable for the submitter's records", () => {
  const t = newDeletionToken(seededRandom('x'));
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newDeletionToken(), newDeletionToken());
});
