import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FRAMEWORK_DOMAINS } from '../../lib/privacy/known-names.ts';
import { normalizeName } from '../../lib/privacy/names.ts';
import { createPseudonymizer } from '../../lib/privacy/pseudonym.ts';
import { loadOrCreateSecret } from '../../lib/privacy/secret.ts';
import { runBin, tempProject } from '../cli/harness.ts';
import { SHARED_FIXTURES, SKIP_NO_FIXTURES } from '../shared-fixtures.ts';
import { ensureBin, state } from './support.ts';

/**
 * Issue 9, expert calibration on real data: after `learning collect` on a copy of tapps-small, each
 * domain's reliability table must be what a separate parse of the raw files gives. The parse here
 * shares no code with lib/sources or lib/rollup/link.ts: agent steps with their start, end and
 * outcome from the event logs, the Cursor markers and the build checkpoints; consultations from
 * confidence_metrics.json (the asking agent, its time and combined confidence, one line per
 * answering expert); a consultation belongs to the shortest step of its agent that contains it.
 */
const SLACK_MS = 1_000;
const LEARNER = 'agent-learner';

interface Step {
  agent: string;
  start: number;
  end: number;
  ok: boolean;
}

const lines = (p: string): Record<string, unknown>[] =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
const ls = (p: string): string[] => (existsSync(p) ? readdirSync(p).sort() : []);
const s = (x: unknown): string => (typeof x === 'string' ? x : '');

/** `+00:00Z` → instant; naive → the fixture's zone (Los Angeles: -7 h until 1 November 2026, then -8 h). */
function instant(ts: string, naive: 'utc' | 'local' = 'local'): number {
  const t = ts.replace(/Z$/, '').replace(/\+00:00$/, '');
  const utc = Date.parse(`${t}Z`);
  if (ts !== t || naive === 'utc') return utc;
  return utc + (utc < Date.parse('2026-11-01T09:00:00Z') ? 7 : 8) * 3600_000;
}

function steps(dir: string): Step[] {
  const out: Step[] = [];
  const logs = join(dir, 'workflow-state/events');
  for (const f of ls(logs)) {
    const open = new Map<string, { agent: string; start: number }>();
    let last = 0;
    for (const r of lines(join(logs, f))) {
      const type = s(r.event_type);
      const at = instant(s(r.timestamp));
      last = at;
      if (type === 'step_start') {
        // A step started again while open: the framework retried it, the earlier attempt failed.
        const earlier = open.get(s(r.step_id));
        if (earlier) out.push({ ...earlier, end: at, ok: false });
        open.set(s(r.step_id), { agent: s(r.agent), start: at });
      } else if (type === 'step_finish' || type === 'step_fail') {
        const st = open.get(s(r.step_id));
        if (st) out.push({ ...st, end: at, ok: type === 'step_finish' });
        open.delete(s(r.step_id));
      } else if (type === 'step_skip') open.delete(s(r.step_id));
      else if (type === 'workflow_end' && s(r.status) !== 'completed') {
        // Steps still running when a workflow fails failed with it.
        for (const st of open.values()) out.push({ ...st, end: at, ok: false });
        open.clear();
      }
    }
    // A run that logged no end is closed by its handoff, when written after the log's last line.
    const handoff = join(dir, 'workflow-state', f.replace(/\.events\.jsonl$/, ''), 'SESSION_HANDOFF.md');
    if (open.size > 0 && existsSync(handoff)) {
      const text = readFileSync(handoff, 'utf8');
      const ended = instant(/session_ended_at: '([^']+)'/.exec(text)?.[1] ?? '', 'utc');
      const status = /summary: '(?:Build )?Workflow (\w+)/.exec(text)?.[1];
      if (status && status !== 'completed' && ended >= last)
        for (const st of open.values()) out.push({ ...st, end: ended, ok: false });
    }
  }
  const markers = join(dir, 'workflows/markers');
  for (const wf of ls(markers))
    for (const step of ls(join(markers, wf)))
      for (const f of ['DONE.json', 'FAILED.json']) {
        const p = join(markers, wf, step, f);
        if (!existsSync(p)) continue;
        const m = json(p);
        out.push({
          agent: s(m.agent),
          start: instant(s(m.started_at)),
          end: instant(s(m.completed_at) || s(m.timestamp)),
          ok: f === 'DONE.json',
        });
      }
  for (const f of ls(join(dir, 'metrics')).filter((n) => n.startsWith('executions_')))
    for (const r of lines(join(dir, 'metrics', f)))
      out.push({
        agent: s(r.skill),
        start: instant(s(r.started_at)),
        end: instant(s(r.completed_at)),
        ok: r.status === 'success',
      });
  const state = join(dir, 'workflow-state');
  for (const build of ls(state).filter((d) => d.startsWith('build-'))) {
    const [, d, t] = /^build-(\d{8})-(\d{6})$/.exec(build) ?? [];
    let previous = instant(
      `${d?.slice(0, 4)}-${d?.slice(4, 6)}-${d?.slice(6)}T${t?.slice(0, 2)}:${t?.slice(2, 4)}:${t?.slice(4)}`,
    );
    const files = ls(join(state, build, 'checkpoints')).sort(
      (a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]),
    );
    for (const f of files) {
      const c = json(join(state, build, 'checkpoints', f));
      const output = (c.step_output ?? {}) as Record<string, unknown>;
      const end = instant(s(c.completed_at));
      const agent = s(output.agent) || (c.step_id === 'enhance' ? 'enhancer' : s(c.step_id));
      out.push({ agent, start: previous, end, ok: output.success !== false });
      previous = end;
    }
  }
  return out;
}

/**
 * Each expert answer (expert_performance.jsonl, its own instant) with the consultation entry it
 * belongs to (confidence_metrics.json: same domain and query preview, written within a second).
 */
function answers(dir: string): { at: number; agent: string; domain: string; confidence: number }[] {
  const metrics = (json(join(dir, 'confidence_metrics.json')).metrics as Record<string, unknown>[]).map(
    (m) => ({ m, at: instant(s(m.timestamp)) }),
  );
  const out = [];
  for (const line of lines(join(dir, 'learning/expert_performance.jsonl'))) {
    const at = instant(s(line.timestamp), 'utc');
    const m = metrics.find(
      (x) =>
        x.m.domain === line.domain &&
        x.m.query_preview === s(line.query).slice(0, 100) &&
        Math.abs(x.at - at) < 1_000,
    )?.m;
    if (m) out.push({ at, agent: s(m.agent_id), domain: s(m.domain), confidence: Number(m.confidence) });
  }
  return out;
}

function tally(
  t: Record<string, Record<string, [number, number]>>,
  domain: string,
  decile: string,
  ok: boolean,
) {
  const table = t[domain] ?? {};
  t[domain] = table;
  const cell = table[decile] ?? [0, 0];
  table[decile] = cell;
  cell[0] += 1;
  if (ok) cell[1] += 1;
}

/** Domain → decile → [linked expert answers, answers whose step succeeded]. */
function expectedTables(dir: string, domainKey: (d: string) => string) {
  const all = steps(dir);
  const tables: Record<string, Record<string, [number, number]>> = {};
  for (const a of answers(dir)) {
    if (a.agent === LEARNER) continue; // it asks after a task is learned from, not while a step runs
    const outside = (st: Step) => Math.max(0, st.start - a.at, a.at - st.end);
    const near = all.filter((st) => st.agent === a.agent && outside(st) <= SLACK_MS);
    // Inside a step beats near it (retried attempts touch end to start); steps that tie with
    // different outcomes cannot be told apart, and the answer is left out.
    const closest = Math.min(...near.map(outside));
    const outcomes = new Set(near.filter((st) => outside(st) === closest).map((st) => st.ok));
    if (outcomes.size !== 1) continue;
    const decile = String(Math.min(9, Math.floor(a.confidence * 10)));
    tally(tables, domainKey(a.domain), decile, outcomes.has(true));
  }
  return tables;
}

describe('expert calibration on tapps-small', () => {
  it('links every consultation asked during an agent step to that step’s outcome, as a raw parse does', async (t) => {
    if (!SHARED_FIXTURES) {
      t.skip(SKIP_NO_FIXTURES);
      return;
    }
    ensureBin();
    const fixture = join(SHARED_FIXTURES, 'tapps-small', '.tapps-agents');
    const root = tempProject('calibration-');
    try {
      cpSync(fixture, join(root, '.tapps-agents'), { recursive: true });
      writeFileSync(
        join(root, 'tapps-agents.config.json'),
        JSON.stringify({ learning: { timeZone: 'America/Los_Angeles' } }),
      );
      const env = { PATH: process.env.PATH };
      const collected = await runBin(['learning', 'collect'], { cwd: root, env });
      assert.equal(collected.code, 0, collected.stderr);

      const pseudonym = createPseudonymizer(loadOrCreateSecret(root));
      const domainKey = (d: string) => {
        const n = normalizeName(d);
        return FRAMEWORK_DOMAINS.has(n) ? n : pseudonym('domain', n);
      };
      const expected = expectedTables(fixture, domainKey);
      const rollup = state(root).rollup;
      const actual = Object.fromEntries(
        Object.entries(rollup.experts)
          .filter(([, e]) => Object.keys(e.calibration).length > 0)
          .map(([d, e]) => [d, e.calibration]),
      );
      assert.deepEqual(actual, expected);
      const linked = Object.values(expected)
        .flatMap((table) => Object.values(table))
        .reduce((a, [n]) => a + n, 0);
      // Every expert answer an agent other than the learner asked for found its step, but for one
      // asked in the very millisecond a failed attempt ended and a successful step began.
      assert.equal(linked, 72);
      assert.equal(rollup.provided.calibration, linked);
      const failedAdvice = Object.values(expected)
        .flatMap((table) => Object.values(table))
        .reduce((a, [n, ok]) => a + n - ok, 0);
      assert.ok(failedAdvice > 0, 'some advised steps failed in the fixture');

      // The dashboard shows it: the calibration section is recorded, with the security domain's numbers.
      const dash = await runBin(['learning', 'dashboard', '--json'], { cwd: root, env });
      assert.equal(dash.code, 0, dash.stderr);
      const model = JSON.parse(dash.stdout) as {
        calibration: { state: string; domains: { domain: string; linked: number }[] };
      };
      assert.equal(model.calibration.state, 'recorded');
      const security = model.calibration.domains.find((d) => d.domain === 'security');
      assert.equal(security?.linked, expected.security?.['3']?.[0]);

      // A second collect reads nothing new and links nothing twice.
      const again = await runBin(['learning', 'collect'], { cwd: root, env });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(state(root).rollup.provided.calibration, linked);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
