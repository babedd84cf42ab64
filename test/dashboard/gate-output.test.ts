import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { computeDashboard } from '../../lib/dashboard/compute.ts';
import { gateDashboard } from '../../lib/dashboard/gate-output.ts';
import { renderTerminal } from '../../lib/dashboard/render-terminal.ts';
import { EMPTY_IDENTITY } from '../../lib/privacy/identity.ts';
import { Recorder } from '../../lib/rollup/recorder.ts';
import { loadState, saveState } from '../../lib/rollup/state-file.ts';
import { runCli, tempProject } from '../cli/harness.ts';
import { canaries, canaryForms, SKIP_NO_FIXTURES } from '../shared-fixtures.ts';
import { eventsRollup, SAMPLE_PROJECT, START_DAY } from './projects.ts';

const NOW = new Date('2026-11-24T03:00:00Z');
const TOKEN = 'ghp_R8xK2mQv9LpT4wZc7NbY1sHd6FjA3uEo5GiX';

describe('the privacy gate over dashboard output', () => {
  it('lets the dashboard’s own sentences through and passes a normal project', async () => {
    const model = computeDashboard(eventsRollup(SAMPLE_PROJECT, 8), { now: NOW });
    const report = await gateDashboard(
      {
        model,
        json: Buffer.from(JSON.stringify(model)),
        text: renderTerminal(model, { color: false }),
        title: 'Learning dashboard',
      },
      { identity: EMPTY_IDENTITY },
    );
    assert.deepEqual(report.findings, []);
    assert.ok(report.ok);
  });

  it('refuses a model that carries a secret where a label should be, naming the place, never the value', async () => {
    const r = eventsRollup(SAMPLE_PROJECT, 8);
    const cell = r.capabilities['tester.test'];
    assert.ok(cell);
    r.capabilities[TOKEN] = cell;
    const model = computeDashboard(r, { now: NOW });
    const report = await gateDashboard({ model }, { identity: EMPTY_IDENTITY });
    assert.equal(report.ok, false);
    assert.ok(
      report.findings.some((f) => /^\/capabilities\/\d+\/name$/.test(f.pointer)),
      JSON.stringify(report.findings.slice(0, 3)),
    );

    const dir = tempProject('dash-gate-');
    const { state } = loadState(dir, NOW);
    state.rollup = r;
    saveState(dir, state);
    for (const args of [['--json'], [], ['--html', 'x.html']]) {
      const out = await runCli(['learning', 'dashboard', ...args], { cwd: dir });
      assert.equal(out.code, 3, `${args.join(' ')}: ${out.stderr}`);
      assert.equal(out.stdout, '');
      assert.match(out.stderr, /privacy gate refused the output/);
      assert.ok(!out.stderr.includes(TOKEN) && !out.stdout.includes(TOKEN));
    }
  });

  it('no canary of the shared fixtures ever reaches terminal, JSON or HTML output', async (t) => {
    const planted = canaries();
    if (planted.length === 0) return t.skip(SKIP_NO_FIXTURES);
    const dir = tempProject('dash-canary-');
    const rec = new Recorder(dir, () => NOW);
    const text = planted.join(' ');
    for (let i = 0; i < 90; i++) {
      const c = planted[i % planted.length] as string;
      rec.record('task', {
        id: `canary-${i}`,
        source: 'in-process',
        agent: i % 2 === 0 ? c : 'implementer',
        action: i % 3 === 0 ? c : 'implement',
        status: i % 4 === 0 ? 'failure' : 'success',
        finishedAt: new Date((START_DAY + (i % 30)) * 86_400_000 + 3_600_000).toISOString(),
        durationMs: 1000 + i,
        qualityScore: 70,
        errorType: c,
        errorMessage: `${text} failed`,
        workflow: { id: `${c}-20261001-101010`, type: c, name: c },
        files: planted,
        patternsUsed: [{ type: c, id: c }],
        decision: { kind: c, chosen: c, reason: text },
        securityFindings: [{ ruleId: c, severity: c }],
        metadata: { prompt: text },
      });
      rec.record('workflow', {
        id: `wf-${i}`,
        source: 'in-process',
        workflow: { id: `${c}-20261001-101010`, name: c },
        status: i % 2 === 0 ? 'completed' : 'failed',
        errorType: c,
        errorMessage: text,
        finishedAt: new Date((START_DAY + (i % 30)) * 86_400_000).toISOString(),
      });
      rec.record('consultation', {
        id: `c-${i}`,
        source: 'in-process',
        expertId: c,
        domain: c,
        confidence: 0.7,
        query: text,
        agent: c,
        selectionReason: c,
        at: new Date((START_DAY + (i % 30)) * 86_400_000).toISOString(),
      });
    }
    await rec.flush();
    const json = await runCli(['learning', 'dashboard', '--json'], { cwd: dir });
    const term = await runCli(['learning', 'dashboard'], { cwd: dir });
    const html = await runCli(['learning', 'dashboard', '--html', 'page.html'], { cwd: dir });
    for (const r of [json, term, html]) assert.equal(r.code, 0, r.stderr);
    const outputs = [json.stdout, term.stderr, html.stderr, readFileSync(join(dir, 'page.html'), 'utf8')];
    for (const c of planted) {
      for (const form of canaryForms(c)) {
        for (const out of outputs)
          assert.ok(!out.includes(form), `canary ${JSON.stringify(form)} in a dashboard output`);
      }
    }
    assert.ok(JSON.parse(json.stdout).totals.tasks === 90);
  });
});
