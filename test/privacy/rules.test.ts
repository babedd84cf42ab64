import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { hasHighEntropyToken, shannonEntropy } from '../../lib/privacy/entropy.ts';
import { isCardNumber, luhnValid } from '../../lib/privacy/luhn.ts';
import { contentRuleIds } from '../../lib/privacy/scan-string.ts';
import { secretlintRuleId, secretlintScan } from '../../lib/privacy/secretlint-scan.ts';

const ids = (s: string) => [...contentRuleIds(s)].sort();

test('luhn and card numbers', () => {
  assert.ok(luhnValid('4111111111111111'));
  assert.ok(!luhnValid('4111111111111112'));
  assert.ok(!luhnValid(''));
  assert.ok(isCardNumber('378282246310005'));
  assert.ok(isCardNumber('2223003122003222'));
  assert.ok(!isCardNumber('1795000000000000'), 'epoch microseconds start with 1');
  assert.ok(!isCardNumber('41111111111'), 'too short');
});

test('entropy: our digests and pseudonyms pass, random tokens do not', () => {
  assert.equal(shannonEntropy(''), 0);
  assert.equal(shannonEntropy('aaaa'), 0);
  const sha = createHash('sha256').update('x').digest('hex');
  for (const s of [
    sha,
    sha.slice(0, 40),
    sha.slice(0, 32),
    'p_3fa85f6457174562',
    'retrySuccessesPerWeekWindow2',
    'framework-keeps-in-memory-only',
    'retrySuccessesPerWeekWindowForEveryCapability',
    'ReviewerScoreQualityGateThresholdsByCapability',
  ])
    assert.equal(hasHighEntropyToken(s), false, s);
  // Seeded, not randomBytes: a test must not fail by chance (a few random tokens in 100,000 have
  // the entropy of text and pass; see the next assertions for those without a digit).
  for (let i = 0; i < 50; i++) {
    const token = createHash('sha256').update(`token ${i}`).digest().subarray(0, 30).toString('base64');
    assert.equal(hasHighEntropyToken(token), true, token);
  }
  // About 1 in 1,000 random base64 tokens of 40 characters has no digit at all.
  for (const noDigit of [
    'KTzvHgwsivBhlsZoLlXTzyEveAAK/vVgsrNoqMfd',
    'yldqb/lKFXvNczKOrBbspoBAFMJsaddmsleCltfs',
  ])
    assert.equal(hasHighEntropyToken(noDigit), true, noDigit);
  assert.equal(hasHighEntropyToken(randomBytes(24).toString('hex')), true, 'hex of a non-digest length');
  assert.equal(hasHighEntropyToken(sha.toUpperCase()), true, 'our digests are lowercase');
});

test('paths of every OS; JSON pointers into an export pass', () => {
  assert.deepEqual(ids('/home/alice'), ['path/posix-absolute']);
  assert.deepEqual(ids('/srv2/billing'), ['path/posix-absolute']);
  assert.deepEqual(ids('/root'), ['path/posix-absolute']);
  assert.deepEqual(ids('/capabilities/items/3/name'), []);
  assert.deepEqual(ids('/metadata/privacy/redaction/rules/secret~1github-token'), []);
  assert.deepEqual(ids('/v1'), []);
  assert.deepEqual(ids('application/json'), []);
  assert.deepEqual(ids('C:/Users/x'), ['path/posix-absolute', 'path/windows-absolute']);
  assert.deepEqual(ids('D:\\\\build'), ['path/windows-absolute']);
  assert.deepEqual(ids('\\\\srv\\share'), ['path/unc']);
  assert.deepEqual(ids('~/notes'), ['path/home']);
  assert.deepEqual(ids('~bob'), ['path/home']);
  assert.deepEqual(ids('/a~1b'), []);
  assert.deepEqual(ids('invoice.py'), ['path/file-name']);
  assert.deepEqual(ids('.env.local'), ['path/file-name']);
  assert.deepEqual(ids('Node.js'), []);
  assert.deepEqual(ids('https://example.com/a/b'), ['pii/hostname', 'pii/url']);
});

test('network and personal data, with their look-alikes', () => {
  assert.deepEqual(ids('10.1.2.3'), ['pii/ipv4']);
  for (const s of ['v1.2.3.4', '3.6.3', '1.2.3.4.5', '999.1.1.1']) assert.deepEqual(ids(s), [], s);
  assert.deepEqual(ids('fe80::1ff:fe23:4567:890a'), ['pii/ipv6']);
  assert.deepEqual(ids('03:00:00'), []);
  assert.deepEqual(ids('00:1a:2b:3c:4d:5e'), ['pii/mac-address']);
  assert.deepEqual(ids('+44 20 7946 0958'), ['pii/phone']);
  assert.deepEqual(ids('2026-11-24'), []);
  assert.deepEqual(ids('123-45-6789'), ['pii/ssn']);
  assert.ok(!ids('000-12-3456').includes('pii/ssn'), 'area 000 is not an SSN');
  assert.deepEqual(ids('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), ['pii/uuid']);
  assert.deepEqual(ids('build-07.umbrella.internal'), ['pii/hostname']);
  assert.deepEqual(ids('tester.test'), []);
});

test('time stamps: UTC passes, naive and offset stamps do not', () => {
  assert.deepEqual(ids('2026-11-24T03:00:00.000Z'), []);
  assert.deepEqual(ids('2026-11-24T03:17:24.893552+00:00'), []);
  assert.deepEqual(ids('2026-11-24T03:17:24+00:00Z'), []);
  assert.deepEqual(ids('2026-11-24T08:47:24.893552'), ['time/naive-timestamp']);
  assert.deepEqual(ids('2026-11-24T08:47:24+05:30'), ['time/local-offset']);
});

test('code, names and free text', () => {
  assert.deepEqual(ids('def settle_invoice('), ['code/fragment', 'code/identifier', 'text/free-text']);
  assert.deepEqual(ids('settle_invoice'), ['code/identifier']);
  assert.deepEqual(ids('implementer.write_code'), []);
  assert.deepEqual(ids('reviewer.p_3fa85f6457174562'), []);
  assert.deepEqual(ids('reviewer.contoso-audit'), ['name/unlisted-capability']);
  assert.deepEqual(ids('DO_NOT_TRACK'), []);
  assert.deepEqual(ids('Visual Basic'), []);
  assert.deepEqual(ids('Initech Invoice Migration'), ['text/free-text']);
});

test('secretlint runs in one batch and maps ranges back to strings', async () => {
  const token = 'ghp_Z3n8QwLk2VbX7mRt5YpC1dHs9FjU4aEo6WiK';
  const slack = 'xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
  const hits = await secretlintScan(['implementer.write-code', token, 'plain words only', slack, 'short']);
  assert.deepEqual([...hits.keys()], [token, slack]);
  assert.deepEqual(hits.get(token), ['secret/secretlint-github']);
  assert.deepEqual(hits.get(slack), ['secret/secretlint-slack']);
  assert.equal(
    secretlintRuleId('@secretlint/secretlint-rule-database-connection-string'),
    'secret/secretlint-database-connection-string',
  );
  // Cached: a second scan answers without linting.
  assert.deepEqual([...(await secretlintScan([token])).keys()], [token]);
});
