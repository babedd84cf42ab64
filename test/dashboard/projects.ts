import { observeConsultation, observeTask, observeWorkflow } from '../../lib/privacy/observe.ts';
import { createPseudonymizer } from '../../lib/privacy/pseudonym.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { Recorder } from '../../lib/rollup/recorder.ts';
import type { ConsultationEvent, TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import type { Observation, TaskObservation } from '../../schema/observation.ts';
import type { Rollup } from '../../schema/rollup.ts';
import type { State } from '../../schema/state.ts';
import { Rng } from '../generators/prng.ts';

/**
 * Seeded generators of projects with a known truth, for the dashboard's tests. A capability's
 * success probability and quality are functions of t ∈ [0, 1] (first to last day), so a test knows
 * what the verdict must be.
 */

/** A seeded uniform [0, 1) source (the shared generators' sfc32): the same seed gives the same project. */
export function rng(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.next();
}

export interface CapabilitySpec {
  capability: string;
  /** Runs per active day. */
  runsPerDay: number;
  success: (t: number) => number;
  quality?: (t: number) => number;
  /** Error types of failures, drawn uniformly. */
  errorTypes?: readonly string[];
  /** Share of runs that are a retry (attempt 2). */
  retryShare?: number;
  workflowType?: string;
  /** Only these many runs in total, spread over the days (e.g. 8). */
  totalRuns?: number;
  security?: readonly { ruleId: string; severity: string }[];
  patterns?: readonly string[];
  decision?: string;
}

export interface ExpertSpec {
  domain: string;
  expertId: string;
  perDay: number;
  confidence: (t: number, r: () => number) => number;
  threshold?: number;
}

export interface ProjectSpec {
  /** UTC day number of the first day. */
  startDay: number;
  days: number;
  capabilities: readonly CapabilitySpec[];
  workflows?: readonly { type: string; perDay: number; completed: number; errorType?: string }[];
  experts?: readonly ExpertSpec[];
}

/** 2026-09-25, the first day of the shared fixture's history. */
export const START_DAY = Math.floor(Date.parse('2026-09-25T00:00:00Z') / 86_400_000);

const iso = (day: number, seconds: number) => new Date(day * 86_400_000 + seconds * 1000).toISOString();

function runsOn(spec: CapabilitySpec, dayIndex: number, days: number): number {
  if (spec.totalRuns === undefined) return spec.runsPerDay;
  // Spread totalRuns evenly over the days.
  const before = Math.floor((dayIndex * spec.totalRuns) / days);
  const after = Math.floor(((dayIndex + 1) * spec.totalRuns) / days);
  return after - before;
}

/** The raw host events of a project, as a host (or lib/sources) would fire them. */
export function projectEvents(spec: ProjectSpec, seed: number) {
  const r = rng(seed);
  const tasks: TaskCompletedEvent[] = [];
  const workflows: WorkflowCompletedEvent[] = [];
  const consultations: ConsultationEvent[] = [];
  for (let d = 0; d < spec.days; d++) {
    const t = spec.days > 1 ? d / (spec.days - 1) : 0;
    const day = spec.startDay + d;
    for (const c of spec.capabilities) {
      const [agent, action] = c.capability.split('.');
      const n = runsOn(c, d, spec.days);
      for (let i = 0; i < n; i++) {
        const ok = r() < c.success(t);
        const duration = 2000 + r() * 30_000;
        const e: TaskCompletedEvent = {
          id: `${c.capability}-${d}-${i}`,
          source: 'in-process',
          agent: agent as string,
          action,
          status: ok ? 'success' : 'failure',
          finishedAt: iso(day, 3600 + i * 7),
          durationMs: duration,
          attempt: r() < (c.retryShare ?? 0) ? 2 : 1,
        };
        if (c.quality) e.qualityScore = Math.max(0, Math.min(100, c.quality(t) + (r() - 0.5) * 20));
        if (!ok && c.errorTypes && c.errorTypes.length > 0) {
          e.errorType = c.errorTypes[Math.floor(r() * c.errorTypes.length)];
          e.errorMessage = 'failed while working on the task';
        }
        if (c.workflowType) e.workflow = { id: `${c.workflowType}-20261001-101010`, type: c.workflowType };
        if (c.security) e.securityFindings = r() < 0.3 ? [...c.security] : [];
        if (c.patterns) e.patternsUsed = c.patterns.map((type) => ({ type }));
        if (c.decision) e.decision = { kind: c.decision };
        tasks.push(e);
      }
    }
    for (const w of spec.workflows ?? []) {
      for (let i = 0; i < w.perDay; i++) {
        const completed = r() < w.completed;
        const e: WorkflowCompletedEvent = {
          id: `${w.type}-${d}-${i}`,
          source: 'in-process',
          workflow: { id: `${w.type}-20261001-1010${String(i).padStart(2, '0')}`, type: w.type },
          status: completed ? 'completed' : 'failed',
          finishedAt: iso(day, 7200 + i),
          durationMs: 60_000 + r() * 600_000,
          stepsTotal: 5,
          stepsCompleted: completed ? 5 : 3,
          stepsFailed: completed ? 0 : 1,
        };
        if (!completed && w.errorType) e.errorType = w.errorType;
        workflows.push(e);
      }
    }
    for (const x of spec.experts ?? []) {
      for (let i = 0; i < x.perDay; i++) {
        consultations.push({
          id: `${x.domain}-${d}-${i}`,
          source: 'in-process',
          expertId: x.expertId,
          domain: x.domain,
          confidence: Math.max(0, Math.min(1, x.confidence(t, r))),
          threshold: x.threshold ?? 0.7,
          at: iso(day, 5400 + i),
          agent: 'reviewer',
        });
      }
    }
  }
  return { tasks, workflows, consultations };
}

/** Records a project's events through the plugin's Recorder into `root`'s state file. */
export async function recordProject(
  root: string,
  spec: ProjectSpec,
  seed: number,
  now = new Date('2026-11-24T03:00:00Z'),
): Promise<State> {
  const recorder = new Recorder(root, () => now);
  const { tasks, workflows, consultations } = projectEvents(spec, seed);
  for (const e of tasks) recorder.record('task', e);
  for (const e of workflows) recorder.record('workflow', e);
  for (const e of consultations) recorder.record('consultation', e);
  return recorder.flush({ waitMs: 2000 });
}

/**
 * A project's events through the allow-list into a rollup, in memory: the Recorder's path without
 * the state file (no de-duplication needed: generated ids are unique).
 */
export function eventsRollup(
  spec: ProjectSpec,
  seed: number,
  now = new Date('2026-11-24T03:00:00Z'),
): Rollup {
  const ctx = { pseudonymize: createPseudonymizer(new Uint8Array(32).fill(7)), now };
  const { tasks, workflows, consultations } = projectEvents(spec, seed);
  const rollup = emptyRollup();
  const put = (o: Observation | null) => {
    if (o) add(rollup, o);
  };
  for (const e of tasks) put(observeTask(e, ctx));
  for (const e of workflows) put(observeWorkflow(e, ctx));
  for (const e of consultations) put(observeConsultation(e, ctx));
  return rollup;
}

/**
 * The same truth as observations straight into a rollup: what the Recorder would add, without the
 * per-event hashing, for simulations that build hundreds of projects.
 */
export function simulateRollup(spec: ProjectSpec, seed: number): Rollup {
  const r = rng(seed);
  const rollup = emptyRollup();
  for (let d = 0; d < spec.days; d++) {
    const t = spec.days > 1 ? d / (spec.days - 1) : 0;
    for (const c of spec.capabilities) {
      const n = runsOn(c, d, spec.days);
      for (let i = 0; i < n; i++) {
        const o: TaskObservation = {
          kind: 'task',
          capability: c.capability,
          status: r() < c.success(t) ? 'success' : 'failure',
          day: spec.startDay + d,
          attempt: 1,
        };
        if (c.quality) o.quality = Math.max(0, Math.min(100, c.quality(t) + (r() - 0.5) * 20));
        add(rollup, o);
      }
    }
  }
  return rollup;
}

/**
 * Fills an expert domain's reliability table the way the collector will: each linked consultation
 * with a stated confidence (0..1) and the outcome of the step it advised, success with
 * probability confidence − overconfidence.
 */
export function addCalibration(
  rollup: Rollup,
  domain: string,
  linked: number,
  overconfidence: number,
  r: () => number,
  confidence: () => number = () => 0.4 + r() * 0.55,
): void {
  const e = rollup.experts[domain];
  if (!e) throw new Error(`no expert domain ${domain} in the rollup`);
  for (let i = 0; i < linked; i++) {
    const c = confidence();
    const decile = String(Math.min(9, Math.floor(c * 10)));
    const cell = e.calibration[decile] ?? [0, 0];
    cell[0] += 1;
    if (r() < Math.max(0, Math.min(1, c - overconfidence))) cell[1] += 1;
    e.calibration[decile] = cell;
  }
  rollup.provided.calibration += linked;
}

const flat = (p: number) => () => p;
const line = (from: number, to: number) => (t: number) => from + (to - from) * t;

/** The four projects of issue 5, 60 days each. */
export const PROJECTS = {
  improving: {
    startDay: START_DAY,
    days: 60,
    capabilities: [
      {
        capability: 'implementer.implement',
        runsPerDay: 30,
        success: line(0.55, 0.8),
        quality: line(65, 80),
        errorTypes: ['TimeoutError', 'SyntaxError'],
      },
      { capability: 'reviewer.review', runsPerDay: 20, success: flat(0.85), quality: flat(78) },
    ],
  },
  degrading: {
    startDay: START_DAY,
    days: 60,
    capabilities: [
      { capability: 'tester.test', runsPerDay: 30, success: line(0.8, 0.55), errorTypes: ['AssertionError'] },
      { capability: 'reviewer.review', runsPerDay: 20, success: flat(0.85) },
    ],
  },
  flat: {
    startDay: START_DAY,
    days: 60,
    capabilities: [
      { capability: 'implementer.implement', runsPerDay: 30, success: flat(0.7) },
      { capability: 'reviewer.review', runsPerDay: 30, success: flat(0.85) },
    ],
  },
  noData: { startDay: START_DAY, days: 0, capabilities: [] },
} satisfies Record<string, ProjectSpec>;

/**
 * A project with every section filled: trends, failures with error types, workflows, retries,
 * security findings, patterns, decisions, experts. The HTML dashboard's sample.
 */
export const SAMPLE_PROJECT: ProjectSpec = {
  startDay: START_DAY,
  days: 60,
  capabilities: [
    {
      capability: 'implementer.implement',
      runsPerDay: 24,
      success: line(0.55, 0.78),
      quality: line(62, 79),
      errorTypes: ['TimeoutError', 'SyntaxError', 'ModuleNotFoundError'],
      retryShare: 0.12,
      workflowType: 'rapid-dev',
      security: [
        { ruleId: 'B105', severity: 'high' },
        { ruleId: 'CWE-79', severity: 'medium' },
      ],
      patterns: ['function', 'class'],
      decision: 'architecture',
    },
    {
      capability: 'reviewer.review',
      runsPerDay: 18,
      success: flat(0.86),
      quality: flat(80),
      errorTypes: ['quality-gate'],
      workflowType: 'rapid-dev',
      patterns: ['imports'],
    },
    {
      capability: 'tester.test',
      runsPerDay: 15,
      success: line(0.82, 0.62),
      errorTypes: ['AssertionError', 'timeout'],
      retryShare: 0.2,
      workflowType: 'full-sdlc',
      security: [{ ruleId: 'B602', severity: 'critical' }],
    },
    { capability: 'planner.plan', runsPerDay: 0, totalRuns: 8, success: flat(0.9) },
    { capability: 'enhancer.enhance-prompt', runsPerDay: 6, success: flat(0.95), workflowType: 'build' },
  ],
  workflows: [
    { type: 'rapid-dev', perDay: 2, completed: 0.7, errorType: 'StepExecutionError' },
    { type: 'full-sdlc', perDay: 1, completed: 0.5, errorType: 'TimeoutError' },
  ],
  experts: [
    { domain: 'security', expertId: 'expert-security', perDay: 3, confidence: (_t, r) => 0.55 + r() * 0.4 },
    {
      domain: 'testing-strategies',
      expertId: 'expert-testing',
      perDay: 2,
      confidence: (t, r) => 0.5 + 0.2 * t + r() * 0.2,
    },
  ],
};
