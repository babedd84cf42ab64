import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as v from 'valibot';
import { normalizeName } from '../../lib/privacy/names.ts';
import { readStores } from '../../lib/sources/read-stores.ts';
import { Dashboard } from '../../schema/dashboard.ts';
import type { TaskCompletedEvent } from '../../schema/events.ts';
import { runCli, tempProject } from '../cli/harness.ts';
import { canaries, canaryForms, SHARED_FIXTURES, SKIP_NO_FIXTURES } from '../shared-fixtures.ts';

/**
 * The dashboard of ../shared/fixtures/tapps-small (60 days written by the framework's own writer
 * classes), checked against counts made without the rollup or the dashboard: the raw expert log, and
 * the host events the store readers emit, counted here one by one.
 */
describe('dashboard conformance on tapps-small', () => {
  let dir = '';
  let model: Dashboard | undefined;
  const outputs: string[] = [];

  before(async () => {
    if (!SHARED_FIXTURES) return;
    dir = tempProject('dash-conf-');
    cpSync(join(SHARED_FIXTURES, 'tapps-small', '.tapps-agents'), join(dir, '.tapps-agents'), {
      recursive: true,
    });
    const env = { PATH: process.env.PATH };
    const c = await runCli(['learning', 'collect'], { cwd: dir, env });
    assert.equal(c.code, 0, c.stderr);
    const json = await runCli(['learning', 'dashboard', '--json'], { cwd: dir, env });
    assert.equal(json.code, 0, json.stderr);
    model = v.parse(Dashboard, JSON.parse(json.stdout));
    const text = await runCli(['learning', 'dashboard'], { cwd: dir, env });
    const html = await runCli(['learning', 'dashboard', '--html', 'dash.html'], { cwd: dir, env });
    assert.equal(html.code, 0, html.stderr);
    outputs.push(json.stdout, text.stderr, html.stderr, readFileSync(join(dir, 'dash.html'), 'utf8'));
  });

  it('counts every expert consultation of the raw log, per framework domain', async (t) => {
    if (!SHARED_FIXTURES || !model) return t.skip(SKIP_NO_FIXTURES);
    const lines = readFileSync(join(dir, '.tapps-agents', 'learning', 'expert_performance.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const byDomain = new Map<string, number>();
    for (const l of lines) {
      const d = normalizeName(JSON.parse(l).domain as string);
      byDomain.set(d, (byDomain.get(d) ?? 0) + 1);
    }
    assert.equal(lines.length, 117);
    assert.equal(model.totals.consultations, lines.length);
    for (const e of model.experts) {
      if (e.domain.startsWith('p_')) continue;
      assert.equal(e.consultations, byDomain.get(e.domain), e.domain);
    }
  });

  it('counts tasks and workflows as the store readers report them, event by event', async (t) => {
    if (!SHARED_FIXTURES || !model) return t.skip(SKIP_NO_FIXTURES);
    const tasks = new Map<string, TaskCompletedEvent>();
    const workflows = new Map<string, string>();
    await readStores({
      tappsDir: join(SHARED_FIXTURES, 'tapps-small', '.tapps-agents'),
      checkpoints: {},
      onRecord: (r) => {
        if (r.kind === 'task') tasks.set(r.event.id, r.event);
        else if (r.kind === 'workflow') workflows.set(r.event.id, r.event.status);
      },
    });
    const status = (s: string) => [...tasks.values()].filter((e) => e.status === s).length;
    assert.ok(tasks.size > 0);
    assert.equal(model.totals.tasks, tasks.size);
    assert.equal(model.totals.successes, status('success'));
    assert.equal(model.totals.failures, status('failure'));
    assert.equal(model.totals.skips, status('skipped'));
    assert.equal(model.totals.workflowRuns, workflows.size);
    const completed = [...workflows.values()].filter((s) => s === 'completed').length;
    const shown = model.failures.workflows.reduce(
      (n, w) => n + (w.outcomes.find((o) => o.outcome === 'completed')?.count ?? 0),
      0,
    );
    assert.equal(shown, completed);
    // Framework-named capabilities stay readable: their counts match the events of that agent and action.
    for (const c of model.capabilities) {
      if (c.name.includes('p_') || c.name === '__other__') continue;
      const mine = [...tasks.values()].filter((e) => {
        const key = normalizeName(e.agent) + (e.action ? `.${normalizeName(e.action)}` : '');
        return key === c.name;
      });
      assert.equal(c.runs, mine.length, c.name);
      assert.equal(c.failures, mine.filter((e) => e.status === 'failure').length, c.name);
    }
  });

  it('reports the stores it read as live, and the hook as not installed', async (t) => {
    if (!SHARED_FIXTURES || !model) return t.skip(SKIP_NO_FIXTURES);
    const live = model.health.stores.filter((s) => s.state === 'live').map((s) => s.store);
    assert.ok(live.includes('event-log') && live.includes('expert-performance'), live.join());
    assert.equal(model.health.hooks?.collector, false);
  });

  it('lets none of the fixture’s canaries into terminal, JSON or HTML output', async (t) => {
    if (!SHARED_FIXTURES || !model) return t.skip(SKIP_NO_FIXTURES);
    for (const c of canaries()) {
      for (const form of canaryForms(c))
        for (const out of outputs) assert.ok(!out.includes(form), `canary ${JSON.stringify(form)}`);
    }
  });
});
