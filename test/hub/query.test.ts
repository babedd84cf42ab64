import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayNumber, parseSelection } from '../../lib/hub/query.ts';
import { Rejection } from '../../lib/hub/rejection.ts';

test('framework, since and until become a selection of UTC days, both ends included', () => {
  assert.deepEqual(parseSelection({}), {});
  assert.deepEqual(parseSelection({ framework: '3.7.1', since: '2026-11-01', until: '2026-11-30' }), {
    framework: '3.7.1',
    sinceDay: dayNumber('2026-11-01'),
    untilDay: dayNumber('2026-11-30'),
  });
  assert.equal(dayNumber('1970-01-02'), 1);
  assert.deepEqual(parseSelection({ framework: 'unknown', since: '' }), { framework: 'unknown' });
});

test('bad values are a schema rejection naming each parameter', () => {
  try {
    parseSelection({ framework: '<b>', since: '2026-02-30', until: '2026-1-1' });
    assert.fail('expected a rejection');
  } catch (error) {
    assert.ok(error instanceof Rejection);
    assert.equal(error.type, 'schema');
    assert.equal(error.status, 400);
    assert.deepEqual(
      error.problems.map((p) => p.pointer),
      ['/query/framework', '/query/since', '/query/until'],
    );
  }
  assert.throws(() => parseSelection({ since: '2026-12-01', until: '2026-11-01' }), /bad query/);
});
