import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDashboard } from '../../lib/dashboard/compute.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { tempDir } from '../temp-dir.ts';
import { addCalibration, PROJECTS, recordProject, rng, START_DAY, simulateRollup } from './projects.ts';

const NOW = new Date('2026-11-24T03:00:00Z');
const RUNS = 200;

function project(): string {
  return tempDir('dash-verdict-');
}

describe('the project verdict on four generated projects (recorded through the Recorder)', () => {
  it('improving: learning active, naming the capability that improves', async () => {
    const state = await recordProject(project(), PROJECTS.improving, 11);
    const d = computeDashboard(state.rollup, { now: NOW });
    assert.equal(d.verdict.status, 'learning-active', d.verdict.reason);
    assert.deepEqual(d.verdict.improving, ['implementer.implement']);
    assert.match(
      d.verdict.reason,
      /^improving: implementer\.implement \(success \+\d+\.\d pts over 59 days\)$/,
    );
    assert.deepEqual(d.verdict.flat, ['reviewer.review']);
  });

  it('degrading: stalled, naming the capability that degrades', async () => {
    const state = await recordProject(project(), PROJECTS.degrading, 12);
    const d = computeDashboard(state.rollup, { now: NOW });
    assert.equal(d.verdict.status, 'stalled', d.verdict.reason);
    assert.deepEqual(d.verdict.degrading, ['tester.test']);
    assert.match(
      d.verdict.reason,
      /^degrading: tester\.test \(success −\d+\.\d pts over 59 days\); no capability improves$/,
    );
  });

  it('flat: stalled, every capability flat', async () => {
    const state = await recordProject(project(), PROJECTS.flat, 13);
    const d = computeDashboard(state.rollup, { now: NOW });
    assert.equal(d.verdict.status, 'stalled', d.verdict.reason);
    assert.deepEqual(d.verdict.flat.sort(), ['implementer.implement', 'reviewer.review']);
    assert.equal(d.verdict.reason, 'no capability improves; flat: implementer.implement, reviewer.review');
  });

  it('no data: not recorded, and says how to start', async () => {
    const state = await recordProject(project(), PROJECTS.noData, 14);
    const d = computeDashboard(state.rollup, {
      now: NOW,
      health: { hooks: { file: 'missing', collector: false, events: [] } },
    });
    assert.equal(d.verdict.status, 'not-recorded');
    assert.match(
      d.verdict.reason,
      /collector hook is not installed \(run: tapps-agents learning install-hooks\)/,
    );
    assert.equal(d.totals.tasks, 0);
  });

  it('a few runs: not enough data, with the runs still needed', () => {
    const r = simulateRollup(
      {
        startDay: START_DAY,
        days: 10,
        capabilities: [{ capability: 'planner.plan', runsPerDay: 0, totalRuns: 8, success: () => 0.8 }],
      },
      15,
    );
    const d = computeDashboard(r, { now: NOW });
    assert.equal(d.verdict.status, 'not-enough-data');
    assert.equal(d.verdict.runsNeeded, 52);
    assert.match(d.verdict.reason, /planner\.plan needs about 52 more runs/);
  });
});

/**
 * Issue 9's known truth: 200 seeded projects of 60 days, each with a capability that improves by 10
 * points (60% → 70%, 100 runs a day), one that does not change (70%, 100 runs a day), one with 8 runs,
 * and two expert domains with 300 linked consultations: calibrated, and over-confident by 0.2.
 */
describe('known truth over 200 seeded projects (issue 9)', () => {
  it('classifies each case right in ≥95% of runs, and calls the flat one improving in ≤5%', () => {
    const counts = {
      improvingRight: 0,
      flatRight: 0,
      flatCalledImproving: 0,
      fewRunsRight: 0,
      calibratedRight: 0,
      overconfidentRight: 0,
      overconfidentNamed: 0,
      projectActive: 0,
    };
    for (let run = 0; run < RUNS; run++) {
      const seed = 1000 + run;
      const r = simulateRollup(
        {
          startDay: START_DAY,
          days: 60,
          capabilities: [
            { capability: 'implementer.implement', runsPerDay: 100, success: (t) => 0.6 + 0.1 * t },
            { capability: 'reviewer.review', runsPerDay: 100, success: () => 0.7 },
            { capability: 'planner.plan', runsPerDay: 0, totalRuns: 8, success: () => 0.7 },
          ],
        },
        seed,
      );
      for (const domain of ['security', 'testing-strategies']) {
        add(r, { kind: 'consultation', domain, expert: 'expert-security', confidence: 70, day: START_DAY });
      }
      const g = rng(seed * 7919);
      addCalibration(r, 'testing-strategies', 300, 0, g);
      addCalibration(r, 'security', 300, 0.2, g);
      const d = computeDashboard(r, { now: NOW });
      const verdict = (name: string) => d.capabilities.find((c) => c.name === name)?.verdict.verdict;
      if (verdict('implementer.implement') === 'improving') counts.improvingRight++;
      if (d.verdict.status === 'learning-active' && d.verdict.improving.join() === 'implementer.implement')
        counts.projectActive++;
      if (verdict('reviewer.review') === 'flat') counts.flatRight++;
      if (verdict('reviewer.review') === 'improving') counts.flatCalledImproving++;
      if (verdict('planner.plan') === 'not-enough-data') counts.fewRunsRight++;
      const cal = (domain: string) => d.calibration.domains.find((x) => x.domain === domain)?.verdict;
      if (cal('testing-strategies') === 'calibrated') counts.calibratedRight++;
      if (cal('security') === 'over-confident') counts.overconfidentRight++;
      if (
        d.verdict.overconfidentDomains.includes('security') &&
        d.verdict.notes.some((n) => n.includes('security'))
      ) {
        counts.overconfidentNamed++;
      }
    }
    const rate = (n: number) => `${((100 * n) / RUNS).toFixed(1)}%`;
    console.log(
      `known truth over ${RUNS} seeded runs: improving +10 pts called improving ${rate(counts.improvingRight)}; ` +
        `unchanged called flat ${rate(counts.flatRight)}, called improving ${rate(counts.flatCalledImproving)}; ` +
        `8 runs called not-enough-data ${rate(counts.fewRunsRight)}; calibrated experts called calibrated ` +
        `${rate(counts.calibratedRight)}; over-confident (0.2) called over-confident ${rate(counts.overconfidentRight)}, ` +
        `named in the verdict ${rate(counts.overconfidentNamed)}; project called learning-active, driven by the ` +
        `improving capability, ${rate(counts.projectActive)}`,
    );
    assert.ok(counts.improvingRight >= 0.95 * RUNS, `improving: ${counts.improvingRight}/${RUNS}`);
    assert.ok(counts.flatRight >= 0.95 * RUNS, `flat: ${counts.flatRight}/${RUNS}`);
    assert.ok(
      counts.flatCalledImproving <= 0.05 * RUNS,
      `flat called improving: ${counts.flatCalledImproving}/${RUNS}`,
    );
    assert.ok(counts.fewRunsRight >= 0.95 * RUNS, `8 runs: ${counts.fewRunsRight}/${RUNS}`);
    assert.ok(counts.calibratedRight >= 0.95 * RUNS, `calibrated: ${counts.calibratedRight}/${RUNS}`);
    assert.ok(
      counts.overconfidentRight >= 0.95 * RUNS,
      `over-confident: ${counts.overconfidentRight}/${RUNS}`,
    );
    assert.equal(counts.overconfidentNamed, counts.overconfidentRight);
    assert.ok(counts.projectActive >= 0.95 * RUNS, `project verdict: ${counts.projectActive}/${RUNS}`);
  });

  it('many unchanged capabilities do not make learning look active by chance (Holm across capabilities)', () => {
    const projects = 50;
    let active = 0;
    let someCapabilityImproving = 0;
    for (let run = 0; run < projects; run++) {
      const capabilities = Array.from({ length: 30 }, (_, i) => ({
        capability: `implementer.p_${i.toString(16).padStart(16, '0')}`,
        runsPerDay: 30,
        success: () => 0.7,
      }));
      const d = computeDashboard(
        simulateRollup({ startDay: START_DAY, days: 60, capabilities }, 5000 + run),
        { now: NOW },
      );
      if (d.verdict.status === 'learning-active') active++;
      if (d.capabilities.some((c) => c.verdict.verdict === 'improving')) someCapabilityImproving++;
      for (const name of d.verdict.withinChance)
        assert.ok(d.verdict.notes[0]?.includes('within what chance gives'), name);
    }
    console.log(
      `30 unchanged capabilities, ${projects} seeded projects: one or more called improving on its own in ` +
        `${((100 * someCapabilityImproving) / projects).toFixed(0)}%, project called learning-active in ${((100 * active) / projects).toFixed(0)}%`,
    );
    assert.ok(active <= 0.05 * projects, `learning-active in ${active}/${projects}`);
  });

  it('a verdict is never drawn from an empty rollup', () => {
    const d = computeDashboard(emptyRollup(), { now: NOW });
    assert.equal(d.verdict.status, 'not-recorded');
    assert.equal(d.calibration.state, 'empty');
    assert.match(d.calibration.reason ?? '', /^no linked consultations yet/);
  });
});
