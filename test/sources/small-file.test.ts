import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, utimesSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { readSmallFile, readWithStat } from '../../lib/sources/small-file.ts';
import { TempTapps } from './harness.ts';

describe('reading small store files', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('reads small and large files whole, and refuses what is over the bound', () => {
    t.write('a.json', '{"a":1}');
    t.write('big.json', 'x'.repeat(200_000));
    assert.equal((readSmallFile(t.path('a.json'), 100) as Buffer).toString(), '{"a":1}');
    assert.equal((readSmallFile(t.path('big.json'), 1 << 20) as Buffer).length, 200_000);
    assert.equal(readSmallFile(t.path('a.json'), 3), 'too big');
    assert.equal(readSmallFile(t.path('big.json'), 100_000), 'too big');
    assert.equal(readSmallFile(t.path('none.json'), 100), 'missing');
  });

  it('gives size and mtime with the bytes, or without them over the bound', () => {
    t.write('b.json', '[1,2,3]');
    utimesSync(t.path('b.json'), new Date(1_700_000_000_000), new Date(1_700_000_000_000));
    const r = readWithStat(t.path('b.json'), 100);
    assert.ok(r !== 'missing');
    assert.equal(r.size, 7);
    assert.equal(r.mtimeMs, 1_700_000_000_000);
    assert.equal(r.bytes?.toString(), '[1,2,3]');
    const over = readWithStat(t.path('b.json'), 3);
    assert.ok(over !== 'missing' && over.bytes === undefined && over.size === 7);
  });

  it('takes a folder or a FIFO named like a store file for a missing file, without hanging', () => {
    mkdirSync(t.path('dir.json'), { recursive: true });
    assert.equal(readSmallFile(t.path('dir.json'), 100), 'missing');
    assert.equal(readWithStat(t.path('dir.json'), 100), 'missing');
    if (process.platform === 'win32') return;
    execFileSync('mkfifo', [t.path('fifo.json')]);
    assert.equal(readSmallFile(t.path('fifo.json'), 100), 'missing');
    assert.equal(readWithStat(t.path('fifo.json'), 100), 'missing');
  });
});
