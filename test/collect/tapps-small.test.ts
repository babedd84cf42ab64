import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { STORE_NAMES, STORES } from '../../schema/stores.ts';
import { runBin, tempProject } from '../cli/harness.ts';
import { SHARED_FIXTURES, SKIP_NO_FIXTURES } from '../shared-fixtures.ts';
import { byCapability, byWorkflowType, collect as readAll } from '../sources/harness.ts';
import { ensureBin, state } from './support.ts';

/** The fixture machine's zone (fixtures README), as test/sources/conformance.test.ts uses it. */
const TZ = 'America/Los_Angeles';

interface Status {
  tasks: number;
  workflowRuns: number;
  consultations: number;
  duplicates: number;
  rejected: number;
  sources: Record<
    string,
    { present: boolean; records: number; emitted: number; duplicates: number; skipped: number; files: number }
  >;
}

/**
 * "Done when", first item: on a copy of tapps-small, install-hooks then collect; status shows every
 * LIVE and DORMANT store read, with the numbers the conformance tests establish; a second collect
 * reads nothing new. The copy lives in a temp folder; the shared fixture is never written.
 */
describe('tapps-small, end to end', () => {
  it('install-hooks, collect, status: every store read, conformance numbers; then nothing new', async (t) => {
    if (!SHARED_FIXTURES) {
      t.skip(SKIP_NO_FIXTURES);
      return;
    }
    ensureBin();
    const fixture = join(SHARED_FIXTURES, 'tapps-small', '.tapps-agents');
    const root = tempProject('tapps-small-');
    try {
      cpSync(fixture, join(root, '.tapps-agents'), { recursive: true });
      writeFileSync(join(root, 'tapps-agents.config.json'), JSON.stringify({ learning: { timeZone: TZ } }));
      const env = { PATH: process.env.PATH };
      const bin = (...args: string[]) => runBin(args, { cwd: root, env });

      const install = await bin('learning', 'install-hooks');
      assert.equal(install.code, 0, install.stderr);
      assert.match(
        readFileSync(join(root, '.tapps-agents', 'hooks.yaml'), 'utf8'),
        /SessionEnd:\n {4}- name: learning-collector\n/,
      );
      const first = await bin('learning', 'collect');
      assert.equal(first.code, 0, first.stderr);

      const statusText = await bin('learning', 'status');
      const status = JSON.parse((await bin('learning', 'status', '--json')).stdout) as Status;
      for (const name of STORE_NAMES) {
        const s = status.sources[name];
        assert.ok(
          s?.present && s.records > 0 && s.skipped === 0,
          `${name} (${STORES[name].status}) not read: ${JSON.stringify(s)}`,
        );
        assert.match(
          statusText.stderr,
          new RegExp(
            `\\n  ${name} \\((live|dormant)\\): ${s.records} records in ${s.files} files, ${s.emitted} events, 0 skipped\\n`,
          ),
        );
      }

      // The numbers test/sources/conformance.test.ts asserts against its independent parse.
      const src = status.sources;
      assert.equal(status.consultations, 117);
      assert.equal(status.workflowRuns, 37);
      // 114 steps and stories, and 16 registry runs no step store reports; the memories add none.
      assert.equal(status.tasks, 130);
      assert.equal(src.memories?.emitted, 0);
      assert.equal(src.memories?.duplicates, 125);
      assert.equal(src['event-log']?.records, 170);
      assert.equal(src.markers?.emitted, 23);
      assert.equal((src.audit?.records ?? 0) - (src.audit?.duplicates ?? 0), 3);
      assert.equal(src.epic?.emitted, 8);
      assert.equal(src['analytics-agents']?.duplicates, 93);
      // Every memory reached the rollup as a second report of its step, which adds only its assessment.
      assert.equal(status.duplicates, 125);
      assert.equal(status.rejected, 0);

      // Per capability and workflow type: the rollups hold what the readers emit, nothing lost on
      // the way through the hooks, the privacy layer and the state file. Names the framework does
      // not ship are keyed pseudonyms in the rollup, so those compare in total.
      const read = await readAll(fixture, {}, { timeZone: TZ });
      const rollup = state(root).rollup;
      // Quality reaches the rollup once per task: each step the learner's memories assess (its first
      // memory's score; tapps-small's ids `<wf>/<step>[#attempt][:ctx]`), and each reviewer outcome.
      const memories = JSON.parse(readFileSync(join(fixture, 'memory', 'memories.json'), 'utf8')) as {
        task_id: string;
        outcome: string;
      }[];
      const assessed = new Set(
        memories.map((m) => {
          const [, wf, step, n] = /^(.+)\/([^#:]+)(?:#(\d+))?(?::ctx)?$/.exec(m.task_id) ?? [];
          const ok = m.outcome === 'success';
          return `${wf}|${step?.replaceAll('_', '-')}|${ok}|${ok ? 1 : (n ?? 1)}`;
        }),
      );
      const outcomeLines = readFileSync(join(fixture, 'learning', 'outcomes.jsonl'), 'utf8')
        .trim()
        .split('\n');
      assert.equal(rollup.provided.quality, assessed.size + outcomeLines.length);
      const want = byCapability(read.tasks);
      let runs = 0;
      let failures = 0;
      let readable = 0;
      for (const [cap, c] of Object.entries(want)) {
        runs += c.runs;
        failures += c.failure;
        const got = rollup.capabilities[cap];
        if (!got) continue;
        readable++;
        assert.deepEqual([got.runs, got.failures, got.skips], [c.runs, c.failure, c.skipped], cap);
      }
      assert.ok(readable >= 20, `${readable} capabilities compared by name`);
      const cells = Object.values(rollup.capabilities);
      assert.equal(
        cells.reduce((a, c) => a + c.runs, 0),
        runs,
      );
      assert.equal(
        cells.reduce((a, c) => a + c.failures, 0),
        failures,
      );
      const types = byWorkflowType(read.workflows);
      for (const type of ['brownfield-analysis', 'build', 'fix', 'full-sdlc', 'quality', 'rapid-dev'])
        assert.deepEqual(rollup.workflows[type]?.outcomes, types[type], type);
      const outcomes = (m: Record<string, Record<string, number>>) => {
        const out: Record<string, number> = {};
        for (const o of Object.values(m)) for (const [k, n] of Object.entries(o)) out[k] = (out[k] ?? 0) + n;
        return Object.fromEntries(Object.entries(out).sort());
      };
      assert.deepEqual(
        outcomes(Object.fromEntries(Object.entries(rollup.workflows).map(([k, w]) => [k, w.outcomes]))),
        outcomes(types),
      );

      const second = JSON.parse((await bin('learning', 'collect', '--json')).stdout) as {
        eventsAdded: number;
        stores: Record<string, { records: number }>;
      };
      assert.equal(second.eventsAdded, 0);
      for (const name of STORE_NAMES) assert.equal(second.stores[name]?.records, 0, name);
      const after = JSON.parse((await bin('learning', 'status', '--json')).stdout) as Status;
      assert.deepEqual(
        [after.tasks, after.workflowRuns, after.consultations],
        [status.tasks, status.workflowRuns, status.consultations],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
