import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildRun } from './build.ts';
import { CANARIES, canaryList, codeQuery } from './canaries.ts';
import { WORKFLOWS } from './catalog.ts';
import { cursorWorkflow } from './cursor.ts';
import { epicRun } from './epic.ts';
import { Gen, type GenerateOptions } from './gen.ts';
import { headlessWorkflow } from './headless.ts';
import { healthCheck } from './noise.ts';
import { dumps, f } from './py-json.ts';
import { addTask, type Truth } from './truth.ts';

export type { GenerateOptions } from './gen.ts';
export type { Truth } from './truth.ts';

export interface GeneratedProject {
  /** `<dir>/.tapps-agents`. */
  tappsDir: string;
  /** The zone the naive local timestamps were written in: pass it to readStores. */
  timeZone: string;
  truth: Truth;
  /** Sensitive strings planted in free-text fields; none may reach an export. */
  canaries: string[];
  bytes: number;
}

/** `sample` is the built-in sample project (`npm start`); `large` feeds the collection benchmark. */
export const PRESETS = {
  sample: {
    seed: 20260302,
    days: 60,
    workflows: 420,
    epics: 2,
    dormant: true,
    noise: true,
    version: 'mixed',
  },
  large: {
    seed: 7,
    days: 90,
    workflows: 11_000,
    mix: { headless: 0.9, cursor: 0.06, build: 0.04 },
    epics: 2,
    dormant: true,
    noise: false,
    reviewConsults: 3,
    version: '3.7',
  },
} as const satisfies Record<string, GenerateOptions>;

const WORK_START_US = 16 * 3600e6;

/**
 * Writes a realistic `.tapps-agents/` tree under `dir`, as TappsCodingAgents 3.6/3.7 writes it over
 * `days` of work, and returns what it contains. Seeded: the same options give the same files.
 */
export function generateTappsProject(dir: string, options: GenerateOptions): GeneratedProject {
  const tappsDir = join(dir, '.tapps-agents');
  mkdirSync(tappsDir, { recursive: true });
  const g = new Gen(tappsDir, options);
  const { rng } = g;
  const perDay = options.workflows / options.days;
  const epicDays = new Map<number, { epic: number; resume: boolean }>();
  for (let e = 0; e < g.opts.epics; e++) {
    const day = Math.floor(((e + 1) * options.days) / (g.opts.epics + 2));
    epicDays.set(day, { epic: e + 4, resume: false });
    epicDays.set(Math.min(options.days - 1, day + 3), { epic: e + 4, resume: true });
  }
  let written = 0;
  let t = g.startUs;
  outcomes(g);
  for (let day = 0; day < options.days; day++) {
    if (options.stopAfterDay !== undefined && day > options.stopAfterDay) break;
    const dayStart = g.startUs - (g.startUs % 86_400e6) + day * 86_400e6;
    t = Math.max(t, dayStart + WORK_START_US + rng.int(0, 3600e6));
    const target = Math.round(perDay * (day + 1)) - written;
    healthCheck(g, t);
    const epic = epicDays.get(day);
    if (epic) {
      t = epicRun(g, epic.epic, t, epic.resume) + rng.int(10e6, 600e6);
      g.session(t);
    }
    for (let i = 0; i < target; i++) {
      const u = rng.next();
      const { headless, cursor } = g.opts.mix;
      if (u < headless) t = headlessWorkflow(g, pickWorkflow(g), t);
      else if (u < headless + cursor) t = cursorWorkflow(g, pickWorkflow(g), t);
      else t = buildRun(g, t);
      g.session(t);
      written += 1;
      // The developer also asks experts directly (`expert consult`): no agent, no confidence entry.
      if (rng.chance(0.05))
        g.consult(
          undefined,
          rng.pick(['security', 'initech-ledger-rules']),
          t + 5e6,
          rng.int(1, 2),
          codeQuery(rng),
        );
      t += rng.int(5e6, 120e6);
    }
  }
  g.finishConfidence();
  g.finishDormant();
  g.sinks.close();
  return {
    tappsDir,
    timeZone: g.opts.timeZone,
    truth: g.truth,
    canaries: canaryList(),
    bytes: g.sinks.bytes,
  };
}

function pickWorkflow(g: Gen): (typeof WORKFLOWS)[number] {
  return g.rng.chance(0.1) ? (WORKFLOWS[4] as (typeof WORKFLOWS)[number]) : g.rng.pick(WORKFLOWS.slice(0, 4));
}

/** `learning/outcomes.jsonl`: a few reviewed-file outcomes (DORMANT, naive UTC). */
function outcomes(g: Gen): void {
  if (!g.opts.dormant) return;
  for (let i = 0; i < 8; i++) {
    const us = g.startUs + (i + 1) * 86_400e6;
    const scores = Object.fromEntries(
      ['complexity_score', 'security_score', 'maintainability_score', 'test_coverage_score'].map((k) => [
        k,
        f(g.rng.int(50, 95) / 10),
      ]),
    );
    const ok = g.rng.chance(0.6);
    g.sinks.line(
      'learning/outcomes.jsonl',
      dumps({
        workflow_id: `review-${i.toString(16).padStart(16, '0')}`,
        file_path: CANARIES.windowsPath,
        initial_scores: scores,
        final_scores: scores,
        iterations: g.rng.int(1, 3),
        expert_consultations: [],
        time_to_correctness: f(0),
        first_pass_success: ok,
        timestamp: g.clock.naiveUtc(us),
        agent_id: 'reviewer',
        prompt_hash: i.toString(16).padStart(16, 'a'),
      }),
      us,
    );
    addTask(g.truth, 'outcomes', 'reviewer', 'score', ok ? 'success' : 'failure');
  }
}
