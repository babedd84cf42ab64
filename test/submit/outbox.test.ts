import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LockBusyError } from '../../lib/files/lock.ts';
import {
  dropForDestinations,
  enqueue,
  listOutbox,
  lockOutbox,
  MAX_OUTBOX_ENTRIES,
  OutboxFullError,
  outboxDir,
  queuedBytes,
  recordAttempt,
  removeItem,
} from '../../lib/submit/outbox.ts';
import { payloadOf, projectWithData } from './support/project.ts';

describe('outbox', () => {
  it('keeps the exact bytes, checks them on the way out, and counts attempts', async () => {
    const dir = await projectWithData();
    const p = await payloadOf(dir);
    const now = new Date('2026-11-24T10:00:00Z');
    const item = enqueue(dir, 'https://hub.example.org', p, 'ECONNREFUSED after 5 attempt(s)', now);
    assert.equal(item.entry.attempts, 1);
    assert.deepEqual(queuedBytes(item), p.bytes);
    const again = enqueue(dir, 'https://hub.example.org', p, 'again', now);
    assert.equal(again.entry.attempts, 2, 'the same export for the same hub is one entry');
    recordAttempt(again, 'still down', now);
    const [listed] = listOutbox(dir).items;
    assert.equal(listed?.entry.attempts, 3);
    assert.equal(listed?.entry.lastError, 'still down');
    writeFileSync(again.binPath, 'changed');
    assert.match(String(queuedBytes(again)), /does not match its SHA-256/);
    removeItem(again);
    assert.deepEqual(
      readdirSync(outboxDir(dir)).filter((f) => !f.startsWith('.')),
      [],
    );
  });

  it('reports files that are not entries and leaves them alone', async () => {
    const dir = await projectWithData({ tasks: 0 });
    const p = await payloadOf(await projectWithData());
    enqueue(dir, 'https://a', p, 'x', new Date());
    writeFileSync(`${outboxDir(dir)}/junk.json`, '{"version":2}');
    const { items, problems } = listOutbox(dir);
    assert.equal(items.length, 1);
    assert.deepEqual(problems, ['junk.json: not an outbox entry']);
  });

  it('drops entries of revoked destinations only', async () => {
    const dir = await projectWithData();
    const p = await payloadOf(dir);
    enqueue(dir, 'https://a', p, 'x', new Date());
    enqueue(dir, 'https://b', p, 'x', new Date());
    assert.equal(dropForDestinations(dir, ['https://a']), 1);
    assert.deepEqual(
      listOutbox(dir).items.map((i) => i.entry.destination),
      ['https://b'],
    );
  });

  it('is bounded, and one drain at a time holds the lock', async () => {
    const dir = await projectWithData();
    const p = await payloadOf(dir);
    for (let i = 0; i < MAX_OUTBOX_ENTRIES; i++) enqueue(dir, `https://h${i}`, p, 'x', new Date());
    assert.throws(() => enqueue(dir, 'https://one-more', p, 'x', new Date()), OutboxFullError);
    const lock = await lockOutbox(dir);
    try {
      await assert.rejects(lockOutbox(dir), LockBusyError);
    } finally {
      lock.release();
    }
    (await lockOutbox(dir)).release();
  });
});
