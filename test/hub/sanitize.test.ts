import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { safeMessage, safePointer, safeProblems, withoutReceived } from '../../lib/hub/sanitize.ts';

test("pointers keep the export formats' field names and indexes; any other segment is masked", () => {
  assert.equal(
    safePointer('/capabilities/items/3/durationMs/counts/12'),
    '/capabilities/items/3/durationMs/counts/12',
  );
  assert.equal(safePointer('/metadata/AKIAZ4LEDGERLYQ7X2M9'), '/metadata/~?');
  assert.equal(safePointer('/capabilities/items/0/languages/python'), '/capabilities/items/0/languages/~?');
  assert.equal(
    safePointer('/capability_metrics/capabilities/0/capability_id'),
    '/capability_metrics/capabilities/0/capability_id',
  );
  assert.equal(safePointer(''), '');
});

test('messages lose the submitted value valibot quotes, and any other quoted text', () => {
  assert.equal(
    withoutReceived('Invalid type: Expected number but received "AKIA1234"'),
    'Invalid type: Expected number',
  );
  assert.equal(
    safeMessage('Invalid type: Expected "a" | "b" but received "secret"'),
    'Invalid type: Expected "..." | "..."',
  );
  assert.equal(
    safeMessage(`not valid JSON: Unexpected token 'g', "ghp_abc" is not valid JSON`),
    'not valid JSON: Unexpected token "...", "..." is not valid JSON',
  );
});

test('whatever a stranger sends, a kept problem holds no run of its text longer than a field name', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ minLength: 1, maxLength: 30 }), { maxLength: 6 }),
      fc.string({ maxLength: 200 }),
      (segments, text) => {
        const secret = `Zq${text}`;
        const [p] = safeProblems([
          {
            pointer: `/${[...segments, secret].map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
            message: `Invalid: Expected x but received "${secret}"`,
          },
        ]);
        assert.ok(p);
        assert.ok(!p.message.includes(secret) || secret.length < 3);
        assert.ok(p.message.length <= 160 && p.pointer.length <= 13 * 45);
        assert.match(p.message, /^[\x20-\x7e]*$/);
      },
    ),
  );
});
