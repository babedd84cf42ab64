import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { exportToRollup } from '../../lib/export/to-rollup.ts';
import { takeSnapshot } from '../../lib/hub/checkpoint.ts';
import { Ledger, type Selection } from '../../lib/hub/ledger.ts';
import { buildReport } from '../../lib/hub/report.ts';
import { Scope, type ScopeState } from '../../lib/hub/scope.ts';
import type { HubServer } from '../../lib/hub/server.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import { tempDir } from '../temp-dir.ts';
import { gzipJson, submissionCorpus } from './corpus.ts';
import { projectExport, releaseScenario, standardCapabilities } from './exports.ts';
import { post, testHub } from './harness.ts';
import { postgresUnavailable, startPostgres } from './postgres.ts';

/**
 * The aggregate is checkpointed to the database, so a start reads the checkpoint and the
 * submissions after it instead of every submission. Whatever the route (clean stop, a stop
 * without a last checkpoint, a deletion, submissions changed behind the hub's back, another k),
 * a restarted hub publishes exactly what a hub that re-read everything publishes.
 */
const SELECTIONS: Selection[] = [
  {},
  { framework: '3.7.0' },
  { framework: '3.8.0' },
  { sinceDay: 20_400 },
  { untilDay: 20_450 },
  { framework: '3.7.0', sinceDay: 20_400, untilDay: 20_500 },
];

function report(l: Ledger, s: Selection): unknown {
  return { ...buildReport(l, s, { k: 3, now: new Date(0), dayOf: 'received' }), generatedAt: null };
}

test('a ledger restored from its snapshot reports the same, and both go on alike', () => {
  const docs = [...releaseScenario(4), ...submissionCorpus(12, { versions: ['3.7.0', '3.8.0'] })];
  const entry = (d: ExportV1, i: number) => ({
    project: d.metadata.projectId,
    frameworkVersion: d.metadata.framework.version,
    day: 20_380 + (i % 7) * 20,
    contribution: exportToRollup(d),
  });
  const live = new Ledger(3);
  docs.forEach((d, i) => {
    live.add(entry(d, i));
  });
  const s = takeSnapshot(live, {
    full: true,
    throughSeq: docs.length,
    savedProjects: 0,
    since: { seq: 0, submissions: 0 },
  });
  const restored = Ledger.restore(
    3,
    s.projectIds,
    s.days.map((d, i) => ({
      ...d,
      scope: Scope.fromState(3, JSON.parse(s.states[i] as string) as ScopeState),
    })),
  );
  for (const sel of SELECTIONS)
    assert.deepEqual(report(restored, sel), report(live, sel), JSON.stringify(sel));
  const before = SELECTIONS.map((sel) => JSON.stringify(report(live, sel)));
  // The restored sums share objects (copy on write): adding to one ledger must not move the other.
  const more = submissionCorpus(6, { seed: 900 }).concat(releaseScenario(2));
  more.forEach((d, i) => {
    restored.add(entry(d, i));
  });
  assert.deepEqual(
    SELECTIONS.map((sel) => JSON.stringify(report(live, sel))),
    before,
  );
  more.forEach((d, i) => {
    live.add(entry(d, i));
  });
  for (const sel of SELECTIONS)
    assert.deepEqual(report(restored, sel), report(live, sel), JSON.stringify(sel));
});

let part1: ExportV1[];
let part2: ExportV1[];
before(() => {
  part1 = releaseScenario(5);
  part2 = [
    // Project 0 again, later, with more runs: a delta on top of the checkpoint.
    projectExport({
      seed: 1000,
      project: 5000,
      frameworkVersion: '3.7.0',
      now: new Date('2026-11-30T03:00:00Z'),
      capabilities: standardCapabilities({ 'reviewer.review-code': { runs: 50 } }),
      workflows: 6,
      consultations: 6,
    }),
    ...submissionCorpus(4, { seed: 700 }),
  ];
});

type Hub = HubServer;
const aggregate = async (hub: Hub) => {
  const body = (await (await fetch(`${hub.url}/v1/aggregate`)).json()) as Record<string, unknown>;
  return { ...body, generatedAt: null };
};
const submitAll = async (hub: Hub, docs: readonly ExportV1[]) => {
  const tokens = new Map<string, string>();
  for (const d of docs) {
    const r = await post(hub.url, gzipJson(d), { 'content-encoding': 'gzip' });
    assert.equal(r.status, 201, await r.clone().text());
    const b = (await r.json()) as { deletionToken?: string };
    if (b.deletionToken) tokens.set(d.metadata.projectId, b.deletionToken);
  }
  return tokens;
};
/** What a hub that re-reads every submission publishes: the reference. */
const rebuilt = async (hub: Hub) => {
  await hub.aggregator.rebuild();
  return aggregate(hub);
};

async function restarts(db: string, t: { diagnostic(s: string): void }): Promise<unknown[]> {
  let hub: Hub | null = null;
  try {
    return await restartSteps(db, t, (h) => {
      hub = h;
      return h;
    });
  } finally {
    // A failed step must not leave a hub holding the database (and the test process) open.
    await (hub as Hub | null)?.close();
  }
}

async function restartSteps(
  db: string,
  t: { diagnostic(s: string): void },
  track: (h: Hub) => Hub,
): Promise<unknown[]> {
  const seen: unknown[] = [];
  const open = async (k = 5) => track(await testHub(db, { k, checkpointMs: 0 }));

  let hub = await open();
  assert.equal(hub.aggregator.startedFrom.checkpoint, false, 'a new database has no checkpoint');
  const tokens = await submitAll(hub, part1);
  const first = await aggregate(hub);
  seen.push(first);
  await hub.close();

  // A clean stop wrote a checkpoint: nothing is re-read.
  hub = await open();
  assert.deepEqual(hub.aggregator.startedFrom, { checkpoint: true, submissions: 0 });
  assert.deepEqual(await aggregate(hub), first);
  // An incremental checkpoint (the periodic kind) after part of the next batch.
  await submitAll(hub, part2.slice(0, 2));
  await hub.aggregator.checkpoint();
  await submitAll(hub, part2.slice(2));
  const second = await aggregate(hub);
  seen.push(second);
  // As after a kill -9: no last checkpoint.
  hub.aggregator.close = async () => undefined;
  await hub.close();

  hub = await open();
  assert.deepEqual(hub.aggregator.startedFrom, { checkpoint: true, submissions: part2.length - 2 });
  assert.deepEqual(await aggregate(hub), second);
  assert.deepEqual(await rebuilt(hub), second);
  const victim = (part1[3] as ExportV1).metadata.projectId;
  const del = await fetch(`${hub.url}/v1/projects/${victim}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${tokens.get(victim)}` },
  });
  assert.equal(del.status, 200);
  const withdrawn = await aggregate(hub);
  assert.notDeepEqual(withdrawn, second);
  // The deletion answers from the project's entries taken out; the exact rebuild follows.
  await hub.aggregator.idle();
  const third = await aggregate(hub);
  assert.deepEqual(await rebuilt(hub), third);
  assert.deepEqual(
    (third as Record<string, unknown>).projects,
    (withdrawn as Record<string, unknown>).projects,
  );
  seen.push(third);
  hub.aggregator.close = async () => undefined;
  await hub.close();

  // The deletion invalidated the stored checkpoint at once: this start re-reads everything.
  hub = await open();
  assert.equal(hub.aggregator.startedFrom.checkpoint, false);
  assert.deepEqual(await aggregate(hub), third);
  await hub.close();
  hub = await open();
  assert.deepEqual(hub.aggregator.startedFrom, { checkpoint: true, submissions: 0 });
  assert.deepEqual(await aggregate(hub), third);

  // Submissions changed behind the hub's back (another hub, a manual fix): not trusted.
  await hub.db.query('DELETE FROM hub_submissions WHERE seq = (SELECT min(seq) FROM hub_submissions)');
  hub.aggregator.close = async () => undefined;
  await hub.close();
  hub = await open();
  assert.equal(hub.aggregator.startedFrom.checkpoint, false);
  const fourth = await aggregate(hub);
  assert.deepEqual(await rebuilt(hub), fourth);
  seen.push(fourth);
  await hub.close();

  // Another k: the capped project lists do not fit, so it re-reads everything.
  hub = await open(3);
  assert.equal(hub.aggregator.startedFrom.checkpoint, false);
  const otherK = await aggregate(hub);
  assert.deepEqual(await rebuilt(hub), otherK);
  seen.push(otherK);
  await hub.close();
  t.diagnostic(`${seen.length} aggregates identical across restarts and to a full re-read`);
  return seen;
}

const dir = tempDir('hub-checkpoint-');
after(() => rmSync(dir, { recursive: true, force: true }));
const results = new Map<string, unknown[]>();

test('restarts on PGlite read the checkpoint and publish what a full re-read does', async (t) => {
  results.set('PGlite', await restarts(join(dir, 'hub-db'), t));
});

test('restarts on PostgreSQL read the checkpoint and publish what a full re-read does', async (t) => {
  const why = postgresUnavailable();
  if (why) {
    t.skip(`PostgreSQL tests skipped: ${why}`);
    return;
  }
  const pg = await startPostgres();
  try {
    results.set('PostgreSQL', await restarts(pg.url, t));
  } finally {
    await pg.stop();
  }
});

test('both backends publish the same aggregates through the restarts', (t) => {
  const a = results.get('PGlite');
  const b = results.get('PostgreSQL');
  if (!a || !b) {
    t.skip('needs both backends');
    return;
  }
  assert.deepEqual(b, a);
});
