import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gate } from '../../lib/privacy/gate.ts';
import { escapePointerSegment, walkStrings } from '../../lib/privacy/walk.ts';

const TOKEN = 'ghp_Z3n8QwLk2VbX7mRt5YpC1dHs9FjU4aEo6WiK';

test('pointers are RFC 6901 (~0, ~1) and a flagged key is written #position everywhere', async () => {
  assert.equal(escapePointerSegment('a/b~c'), 'a~1b~0c');
  const r = await gate({ 'x/y': { 'p~q': TOKEN }, 'bob@contoso.com': { token: TOKEN } }, {});
  const at = (p: string) => r.findings.filter((f) => f.pointer === p).map((f) => `${f.in}:${f.ruleId}`);
  assert.ok(at('/x~1y/p~0q').includes('value:secret/github-token'));
  assert.deepEqual(at('/#1'), ['key:pii/email']);
  assert.ok(at('/#1/token').includes('value:secret/github-token'));
  assert.ok(r.findings.every((f) => !f.pointer.includes('contoso')));
});

test('the document itself may be a string, a byte array, or nested 200,000 levels deep', async () => {
  const root = await gate(TOKEN, {});
  assert.ok(root.findings.some((f) => f.pointer === '' && f.ruleId === 'secret/github-token'));
  const bytes = await gate(Buffer.from(`path /home/alice/x`), {});
  assert.deepEqual(
    bytes.findings.map((f) => f.pointer),
    [''],
  );

  let deep: unknown = TOKEN;
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const r = await gate(deep, {});
  assert.equal(r.ok, false);
  assert.equal(r.findings[0]?.pointer.length, 400_000);
});

test('cycles, Maps, Sets, ArrayBuffers and Dates are walked safely', async () => {
  const a: Record<string, unknown> = { name: 'rapid-dev' };
  a.self = a;
  a.map = new Map<unknown, unknown>([
    ['alice@contoso.com', 1],
    [2, 'x'],
  ]);
  a.set = new Set(['/home/bob/x']);
  a.buf = new TextEncoder().encode('AKIAIOSFODNN7EXAMPLE').buffer;
  a.when = new Date();
  const r = await gate(a, {});
  const places = r.findings.map((f) => `${f.pointer} ${f.in} ${f.ruleId}`);
  assert.ok(places.includes('/map/#0 key pii/email'), places.join('\n'));
  assert.ok(places.includes('/set/0 value path/posix-absolute'));
  assert.ok(places.includes('/buf value secret/aws-access-key'));
});

test('numbers: card numbers are found, counts and epoch stamps are not', async () => {
  const r = await gate(
    {
      card: 4111111111111111,
      big: 4111111111111111n,
      inArray: [1, 2, 5500000000000004],
      ms: 1_795_000_000_000,
      us: 1_795_000_000_000_000,
      sketch: Array.from({ length: 1000 }, (_, i) => i * 37),
    },
    {},
  );
  assert.deepEqual(r.findings.map((f) => f.pointer).sort(), ['/big', '/card', '/inArray/2']);
});

test('scannedStrings counts keys and values, repeats included', async () => {
  let n = 0;
  walkStrings({ a: 'x', b: ['x', 'y', { c: 'x' }] }, { string: () => void n++ });
  assert.equal(n, 7);
  assert.equal((await gate({ a: 'x', b: ['x', 'y', { c: 'x' }] }, {})).scannedStrings, 7);
});
