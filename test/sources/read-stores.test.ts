import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as v from 'valibot';
import { readStores } from '../../lib/sources/read-stores.ts';
import { Checkpoints } from '../../schema/checkpoints.ts';
import { ConsultationEvent, TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import { STORE_NAMES, StoreStats } from '../../schema/stores.ts';
import {
  type GeneratedProject,
  type GenerateOptions,
  generateTappsProject,
} from '../generators/tapps-project.ts';
import {
  byCapability,
  byWorkflowType,
  type Collected,
  collect,
  countBy,
  emittedCount,
  sortKeys,
  TempTapps,
} from './harness.ts';

const OPTIONS: GenerateOptions = {
  seed: 11,
  days: 24,
  workflows: 160,
  epics: 1,
  version: 'mixed',
  noise: true,
};

function allIds(c: Collected): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of [...c.tasks, ...c.workflows, ...c.consultations]) {
    assert.ok(!m.has(e.id), `emitted twice: ${e.id}`);
    m.set(e.id, 'status' in e ? String(e.status) : 'consulted');
  }
  return m;
}

function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(name).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

describe('readStores on a generated project', () => {
  const t = new TempTapps();
  let p: GeneratedProject;
  let full: Collected;
  before(async () => {
    p = generateTappsProject(t.root, OPTIONS);
    full = await collect(p.tappsDir, {}, { timeZone: p.timeZone });
  });
  after(() => t.remove());

  it('reports exactly the generator’s tasks per capability, workflows per type and status, consultations per domain', () => {
    assert.deepEqual(byCapability(full.tasks), sortKeys(p.truth.tasks));
    assert.deepEqual(
      byWorkflowType(full.workflows),
      sortKeys(Object.fromEntries(Object.entries(p.truth.workflows).map(([k, s]) => [k, sortKeys(s)]))),
    );
    assert.deepEqual(
      countBy(full.consultations, (c) => c.domain),
      sortKeys(p.truth.consultations),
    );
    const joined = full.consultations.filter((c) => (c.metadata as { joined: boolean }).joined).length;
    assert.equal(joined, p.truth.consultationsJoined);
  });

  it('attributes each task to the first store that reports it', () => {
    assert.deepEqual(
      countBy(full.tasks, (e) => e.source),
      sortKeys(p.truth.bySource),
    );
  });

  it('emits events valid against the host event schemas, each id once, with UTC times', () => {
    allIds(full);
    for (const e of full.tasks) assert.ok(v.is(TaskCompletedEvent, e), e.id);
    for (const e of full.workflows) assert.ok(v.is(WorkflowCompletedEvent, e), e.id);
    for (const e of full.consultations) assert.ok(v.is(ConsultationEvent, e), e.id);
    for (const e of full.tasks)
      if (e.finishedAt) assert.match(e.finishedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('returns checkpoints that validate, serialize, and yield nothing new when read again', async () => {
    assert.ok(v.is(Checkpoints, full.checkpoints));
    const roundTrip = JSON.parse(JSON.stringify(full.checkpoints));
    const again = await collect(p.tappsDir, roundTrip, { timeZone: p.timeZone });
    assert.equal(emittedCount(again), 0);
    for (const s of STORE_NAMES) {
      assert.ok(v.is(StoreStats, again.stats[s]), s);
      assert.equal(again.stats[s].skipped, 0, s);
    }
    assert.equal(again.stats['event-log'].records, 0);
  });

  it('reads a project that grew since the last run: both runs together emit exactly what one full read emits', async () => {
    const grown = new TempTapps();
    try {
      generateTappsProject(grown.root, { ...OPTIONS, stopAfterDay: 10 });
      const first = await collect(grown.dir, {}, { timeZone: p.timeZone });
      assert.ok(emittedCount(first) > 0 && emittedCount(first) < emittedCount(full));
      // The framework went on writing: appended lines, rewritten files, new files.
      cpSync(p.tappsDir, grown.dir, { recursive: true });
      const second = await collect(grown.dir, first.checkpoints, { timeZone: p.timeZone });
      const a = allIds(first);
      const b = allIds(second);
      for (const id of b.keys()) assert.ok(!a.has(id), `read twice: ${id}`);
      assert.deepEqual(
        sortKeys(Object.fromEntries([...a, ...b])),
        sortKeys(Object.fromEntries(allIds(full))),
      );
    } finally {
      grown.remove();
    }
  });

  it('reports progress per store up to the bytes it read', async () => {
    const seen = new Map<string, number>();
    await readStores({
      tappsDir: p.tappsDir,
      checkpoints: {},
      timeZone: p.timeZone,
      stores: ['expert-performance', 'markers'],
      onRecord: () => {},
      onProgress: (x) => {
        assert.ok(x.bytesRead <= x.bytesTotal);
        seen.set(x.store, x.bytesRead);
      },
    });
    assert.deepEqual([...seen.keys()].sort(), ['expert-performance', 'markers']);
    assert.equal(
      seen.get('expert-performance'),
      statSync(join(p.tappsDir, 'learning/expert_performance.jsonl')).size,
    );
  });

  it('awaits an async onRecord in order, and rejects bad checkpoints with where they are wrong', async () => {
    const order: string[] = [];
    await readStores({
      tappsDir: p.tappsDir,
      checkpoints: {},
      stores: ['analytics-workflows'],
      timeZone: p.timeZone,
      onRecord: async (r) => {
        await new Promise((resolve) => setImmediate(resolve));
        order.push(r.event.id);
      },
    });
    assert.equal(order.length, full.workflows.filter((w) => w.source === 'analytics-workflows').length);
    await assert.rejects(
      readStores({ tappsDir: p.tappsDir, checkpoints: { seen: 'x' } as never, onRecord: () => {} }),
      /invalid checkpoints at seen/,
    );
  });

  it('generates the same tree for the same seed, with the canaries planted in the raw stores', () => {
    const again = new TempTapps();
    try {
      const q = generateTappsProject(again.root, OPTIONS);
      assert.equal(treeHash(q.tappsDir).length, 64);
      // Session files carry random uuids by design: compare the stores lib/sources reads.
      for (const d of [
        'workflow-state/events',
        'learning',
        'metrics',
        'audit',
        'epic-state',
        'analytics/history',
      ]) {
        assert.equal(treeHash(join(q.tappsDir, d)), treeHash(join(p.tappsDir, d)), d);
      }
      const raw = ['learning/expert_performance.jsonl', 'audit/execution_audit.log', 'memory/memories.json']
        .map((f) => readFileSync(join(p.tappsDir, f), 'utf8'))
        .join('\n');
      const events = readdirSync(join(p.tappsDir, 'workflow-state/events'))
        .map((f) => readFileSync(join(p.tappsDir, 'workflow-state/events', f), 'utf8'))
        .join('\n');
      for (const c of p.canaries) {
        const escaped = JSON.stringify(c).slice(1, -1);
        assert.ok(raw.includes(escaped) || events.includes(escaped), `canary not planted: ${c}`);
      }
    } finally {
      again.remove();
    }
  });
});
