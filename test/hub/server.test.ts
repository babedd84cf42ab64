import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../temp-dir.ts';
import { type ChildHub, httpClient, startChildHub } from './child-hub.ts';
import { gzipJson, submissionCorpus } from './corpus.ts';
import { postgresUnavailable, startPostgres } from './postgres.ts';

/**
 * Durability: a submission the hub answered 2xx survives a kill -9 in the middle of a load. The
 * hub runs as its own process (`learning hub serve`), clients on loopback keep submitting while
 * it dies; after a restart on the same database every acknowledged exportId is there, once.
 */
const SENT = 160;
let bodies: { exportId: string; bytes: Uint8Array }[];
const dir = tempDir('hub-crash-');

before(() => {
  bodies = submissionCorpus(SENT, { seed: 300 }).map((d) => ({
    exportId: d.metadata.exportId,
    bytes: gzipJson(d),
  }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function crashAndRecover(t: { diagnostic(s: string): void }, db: string): Promise<void> {
  const args = ['--db', db, '--port', '0', '--rate', '0', '--token-rate', '0'];
  let hub: ChildHub = await startChildHub(args, { cwd: dir, timeoutMs: 120_000 });
  const client = httpClient(4);
  const acked = new Set<string>();
  let next = 0;
  let killed = false;
  const killAt = 60;
  const worker = async () => {
    while (next < SENT && !killed) {
      const b = bodies[next++] as (typeof bodies)[number];
      try {
        const r = await client.post(`${hub.url}/v1/submissions`, b.bytes, {
          'content-encoding': 'gzip',
          'idempotency-key': b.exportId,
        });
        if (r.status === 201 || r.status === 200) acked.add(b.exportId);
        else assert.fail(`answered ${r.status}: ${r.body.slice(0, 200)}`);
      } catch {
        // The connection died with the hub: this one was not acknowledged.
      }
      if (acked.size >= killAt && !killed) {
        killed = true;
        await hub.crash();
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  client.close();
  assert.ok(killed, 'the hub was killed during the load');
  const inFlight = next - acked.size;
  t.diagnostic(
    `killed with kill -9 after ${acked.size} acknowledged submissions (${inFlight} sent but unanswered)`,
  );

  hub = await startChildHub(args, { cwd: dir, timeoutMs: 120_000 });
  const c2 = httpClient(2);
  try {
    const health = JSON.parse((await c2.get(`${hub.url}/healthz`)).body) as { submissions: number };
    assert.ok(health.submissions >= acked.size, `${health.submissions} stored ≥ ${acked.size} acknowledged`);
    assert.ok(health.submissions <= next, 'nothing stored that was never sent');
    for (const id of acked) {
      const r = await c2.get(`${hub.url}/v1/submissions/${id}`);
      assert.equal(r.status, 200, `acknowledged ${id} is there after the crash`);
    }
    // The aggregate rebuilt from storage holds exactly what is stored.
    const agg = JSON.parse((await c2.get(`${hub.url}/v1/aggregate`)).body) as { submissions: number };
    assert.equal(agg.submissions, health.submissions);
    // Clients retry everything: each export ends up stored exactly once.
    let duplicates = 0;
    for (const b of bodies) {
      const r = await c2.post(`${hub.url}/v1/submissions`, b.bytes, { 'content-encoding': 'gzip' });
      assert.ok(r.status === 201 || r.status === 200, String(r.status));
      if (r.status === 200) duplicates++;
    }
    assert.ok(duplicates >= acked.size, 'every acknowledged one answers as a duplicate');
    const final = JSON.parse((await c2.get(`${hub.url}/healthz`)).body) as { submissions: number };
    assert.equal(final.submissions, SENT, 'each export once, none twice');
    const agg2 = JSON.parse((await c2.get(`${hub.url}/v1/aggregate`)).body) as {
      submissions: number;
      projects: number;
    };
    assert.equal(agg2.submissions, SENT);
    assert.equal(agg2.projects, SENT);
    t.diagnostic(
      `after restart: ${health.submissions} stored (all ${acked.size} acknowledged present), ${SENT} after clients retried`,
    );
  } finally {
    c2.close();
    assert.equal(await hub.stop(), 0, `the hub stops cleanly on SIGTERM:\n${hub.stderr()}`);
  }
}

test('kill -9 during a load on PGlite: every acknowledged submission is there, once', async (t) => {
  await crashAndRecover(t, join(dir, 'pglite-db'));
});

test('kill -9 during a load on PostgreSQL: every acknowledged submission is there, once', async (t) => {
  const why = postgresUnavailable();
  if (why) {
    t.skip(`PostgreSQL tests skipped: ${why}`);
    return;
  }
  const pg = await startPostgres();
  try {
    await crashAndRecover(t, pg.url);
  } finally {
    await pg.stop();
  }
});
