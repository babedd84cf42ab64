import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash53 } from '../../lib/sources/hash.ts';
import { hashId, IdSet } from '../../lib/sources/id-set.ts';

describe('IdSet', () => {
  it('hashes as hash53 does, and keeps each id once with its latest day through growth', () => {
    const set = new IdSet();
    const ids = Array.from(
      { length: 20_000 },
      (_, i) => `step:wf-${i % 5000}:review:${i < 5000 ? 'ok' : 'nok'}:${i}`,
    );
    for (const [i, id] of ids.entries()) {
      assert.equal(hashId(id), hash53(id));
      assert.equal(set.has(), false, id);
      set.set(i % 100);
    }
    assert.equal(set.size, ids.length);
    hashId(ids[7] as string);
    assert.ok(set.has());
    set.set(99);
    assert.equal(set.size, ids.length);
    const days = new Map(set.entries());
    assert.equal(days.size, ids.length);
    assert.equal(days.get(hash53(ids[7] as string)), 99);
    assert.equal(days.get(hash53(ids[8] as string)), 8);
    hashId('never added');
    assert.equal(set.has(), false);
  });
});
