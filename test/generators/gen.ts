import { CANARIES, codeQuery, PROJECT_ROOT } from './canaries.ts';
import { EXPERTS, SELECTION_REASONS } from './catalog.ts';
import { Rng } from './prng.ts';
import { dumps, f } from './py-json.ts';
import { PyClock } from './py-time.ts';
import { Sinks } from './sinks.ts';
import { addConsultation, addTask, emptyTruth, type Truth } from './truth.ts';

export type FrameworkVersion = '3.6' | '3.7';

export interface GenerateOptions {
  seed: number;
  /** Length of the history. */
  days: number;
  /** Workflow runs (headless, Cursor-mode and builds); epics come on top. */
  workflows: number;
  /** UTC start of the history. */
  start?: string;
  /** The developer machine's zone: every naive local timestamp is written in it. */
  timeZone?: string;
  /** Timestamp styles: 3.6 (naive), 3.7 (aware), or `mixed` (upgraded half-way). */
  version?: FrameworkVersion | 'mixed';
  /** Shares of headless, Cursor-mode and build runs. */
  mix?: { headless: number; cursor: number; build: number };
  /** Epic runs; each is run once with quality gates (stories fail) and resumed later (stories done). */
  epics?: number;
  /** Share of steps that fail at least once. */
  failureRate?: number;
  /** Write the DORMANT stores custom code fills: executions + agents history, capabilities, memories, outcomes. */
  dormant?: boolean;
  /** Write the files no reader needs (sessions, health metrics, every state snapshot, plans). */
  noise?: boolean;
  /** Extra expert answers per reviewed step (the reviewer consults several experts per file). */
  reviewConsults?: number;
  /**
   * Stop after this day (0-based): the tree is then exactly what the framework had written by that
   * evening, so a full generation later continues it (appended lines, rewritten files, new files).
   */
  stopAfterDay?: number;
}

export interface StepAttempt {
  wf: string;
  stepId: string;
  agent: string;
  action: string;
  /** `success` | `failure` | `cancelled` (killed) | `skipped`. */
  outcome: 'success' | 'failure' | 'cancelled' | 'skipped';
  startUs: number;
  endUs: number;
  attempt: number;
  error?: string;
}

interface ConfidenceEntry {
  text: string;
  lines: number;
  agent: boolean;
  us: number;
}

/** Everything one generation run shares: the seeded randomness, the clock, the files and the truth. */
export class Gen {
  readonly rng: Rng;
  readonly clock: PyClock;
  readonly sinks: Sinks;
  readonly truth: Truth = emptyTruth();
  readonly startUs: number;
  readonly endUs: number;
  readonly opts: Required<Omit<GenerateOptions, 'start' | 'mix' | 'stopAfterDay'>> & {
    mix: NonNullable<GenerateOptions['mix']>;
  };
  private readonly confidence: ConfidenceEntry[] = [];
  readonly capabilities = new Map<string, CapabilitySim>();
  /** memories.json is upserted by task_id. */
  readonly memories = new Map<string, string>();
  private readonly usedIds = new Set<string>();
  /** Time of the last learn_from_task (capabilities.json and memories.json are rewritten then). */
  private lastLearnUs = 0;

  constructor(tappsDir: string, o: GenerateOptions) {
    this.rng = new Rng(o.seed);
    this.opts = {
      seed: o.seed,
      days: o.days,
      workflows: o.workflows,
      timeZone: o.timeZone ?? 'America/Los_Angeles',
      version: o.version ?? 'mixed',
      mix: o.mix ?? { headless: 0.45, cursor: 0.4, build: 0.15 },
      epics: o.epics ?? 1,
      failureRate: o.failureRate ?? 0.12,
      dormant: o.dormant ?? true,
      noise: o.noise ?? true,
      reviewConsults: o.reviewConsults ?? 0,
    };
    this.clock = new PyClock(this.opts.timeZone);
    this.sinks = new Sinks(tappsDir);
    this.startUs = Date.parse(o.start ?? '2026-03-02T08:00:00Z') * 1000;
    this.endUs = this.startUs + o.days * 86_400_000_000;
  }

  version(us: number): FrameworkVersion {
    const v = this.opts.version;
    if (v !== 'mixed') return v;
    return us < (this.startUs + this.endUs) / 2 ? '3.6' : '3.7';
  }

  /** A workflow id not used yet (`<type>-<local stamp>`), moving the start a second on a clash. */
  uniqueId(type: string, us: number, micro: boolean): { id: string; us: number } {
    let t = us;
    for (;;) {
      const id = `${type}-${micro ? this.clock.stampMicro(t) : this.clock.stamp(t)}`;
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return { id, us: t };
      }
      t += 1_000_000;
    }
  }

  /** A version-4-shaped uuid from the seeded generator (crypto's would make runs differ). */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.rng.int(0, 15).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  claimId(id: string): void {
    this.usedIds.add(id);
  }

  private readonly seqs = new Map<string, number>();

  /** The last `seq` written to a workflow's event log (a reused id continues its log). */
  nextSeq(id: string): number {
    return this.seqs.get(id) ?? 0;
  }

  setSeq(id: string, seq: number): void {
    this.seqs.set(id, seq);
  }

  /**
   * Side effects of one step attempt in the DORMANT stores (execution record + its analytics dual
   * write; learning) and, for an attempt no LIVE store records, its truth.
   */
  attemptSideEffects(a: StepAttempt, recordedLive: boolean): void {
    if (this.opts.dormant) {
      this.execution(a);
      if (a.outcome !== 'cancelled' && this.rng.chance(0.5)) this.learn(a);
    }
    if (!recordedLive && this.opts.dormant)
      addTask(this.truth, 'executions', a.agent, a.action, a.outcome === 'success' ? 'success' : 'failure');
  }

  private execution(a: StepAttempt): void {
    const status = a.outcome === 'success' ? 'success' : a.outcome === 'cancelled' ? 'cancelled' : 'failed';
    const command = this.rng.chance(0.2)
      ? `${this.rng.spelling(a.action)} ${CANARIES.sourcePath}`
      : this.rng.spelling(a.action);
    const rec = {
      execution_id: this.uuid(),
      workflow_id: a.wf,
      step_id: a.stepId,
      command,
      status,
      duration_ms: f((a.endUs - a.startUs) / 1000),
      started_at: this.clock.utc(a.startUs),
      retry_count: a.attempt - 1,
      completed_at: this.clock.utc(a.endUs),
      error_message:
        a.outcome === 'success' ? null : a.outcome === 'cancelled' ? 'KeyboardInterrupt' : (a.error ?? null),
      skill: a.agent,
      gate_pass: a.agent === 'reviewer' ? a.outcome === 'success' : null,
    };
    this.sinks.line(`metrics/executions_${this.clock.utcDate(a.startUs)}.jsonl`, dumps(rec), a.endUs);
    const agentRec = {
      agent_id: a.agent,
      agent_name: a.agent,
      duration: f((a.endUs - a.startUs) / 1e6),
      success: a.outcome === 'success',
      timestamp: this.clock.utc(a.endUs),
    };
    this.sinks.line(
      `analytics/history/agents-${this.clock.utcDate(a.endUs)}.jsonl`,
      dumps(agentRec),
      a.endUs,
    );
  }

  /** AgentLearner.learn_from_task: capability EMAs, a memory on success, an agent-learning consult. */
  private learn(a: StepAttempt): void {
    const capId = `${a.agent}.${a.action}`;
    let cap = this.capabilities.get(capId);
    if (!cap) {
      cap = new CapabilitySim(capId, a.agent);
      this.capabilities.set(capId, cap);
    }
    if (cap.usage >= 30) return;
    this.lastLearnUs = Math.max(this.lastLearnUs, a.endUs);
    const ok = a.outcome === 'success';
    cap.update(
      ok,
      (a.endUs - a.startUs) / 1e6,
      this.rng.chance(0.5) ? this.rng.int(40, 98) / 100 : undefined,
    );
    // No truth of its own: the registry's run is this attempt, which another store reports (the
    // execution record at least), so the reader counts it once.
    this.consult(
      'agent-learner',
      'agent-learning',
      a.endUs + 500,
      1,
      'What are the best practices for pattern_extraction_threshold?',
    );
    if (ok) {
      // The learner's id for a step attempt, as in tapps-small: `<wf>/<step>`, `#<n>` from the second.
      const task = `${a.wf}/${a.stepId}${a.attempt > 1 ? `#${a.attempt}` : ''}`;
      this.memories.set(
        task,
        dumps(
          {
            task_id: task,
            agent_id: 'unknown',
            command: capId,
            timestamp: this.clock.utc(a.endUs),
            outcome: 'success',
            quality_score: f(this.rng.int(50, 99) / 100),
            key_learnings: [],
            patterns_used: this.rng.chance(0.3)
              ? [`func_${CANARIES.functionName}_${this.rng.int(1000, 9999)}`]
              : [],
            similar_tasks: [],
            context: this.rng.chance(0.3) ? { code: `${CANARIES.code}x):`, reporter: CANARIES.email } : {},
            metadata: {},
          },
          2,
        ),
      );
    }
  }

  /**
   * One consultation: a line per answering expert in expert_performance.jsonl and, when an agent
   * asked, one entry in confidence_metrics.json (written a few hundred microseconds later).
   */
  consult(agent: string | undefined, domain: string, us: number, experts = 1, query?: string): void {
    const v = this.version(us);
    const primary = EXPERTS.get(domain) ?? `expert-${domain}`;
    const ids = [primary, ...[...EXPERTS.values()].filter((x) => x !== primary).slice(0, experts - 1)];
    const q = query ?? codeQuery(this.rng);
    const reason = this.rng.pick(SELECTION_REASONS);
    let t = us;
    for (const id of ids) {
      const line: Record<string, unknown> = {
        expert_id: id,
        domain,
        confidence: f(this.rng.int(0, 95) / 100),
        query: q,
        timestamp: v === '3.6' ? this.clock.naiveUtc(t) : this.clock.utc(t),
      };
      if (v === '3.7') {
        line.expert_ids = ids;
        line.selection_reason = reason;
      }
      this.sinks.line('learning/expert_performance.jsonl', dumps(line), t);
      t += this.rng.int(20, 400);
    }
    addConsultation(this.truth, domain, ids.length);
    if (!agent) return;
    const conf = this.rng.int(20, 95) / 100;
    const entry: Record<string, unknown> = {
      timestamp: this.clock.local(t + 150),
      agent_id: agent,
      domain,
      confidence: f(conf),
      threshold: f(0.7),
      meets_threshold: conf >= 0.7,
      agreement_level: f(experts === 1 ? 1 : this.rng.int(50, 100) / 100),
      num_experts: ids.length,
      primary_expert: primary,
      query_preview: q.slice(0, 100),
    };
    if (v === '3.7') {
      entry.expert_ids = ids;
      entry.selection_reason = reason;
    }
    this.confidence.push({
      text: dumps(entry, 2).replaceAll('\n', '\n    '),
      lines: ids.length,
      agent: true,
      us: t + 150,
    });
  }

  /** confidence_metrics.json keeps the last 1000 entries; the lines beyond that cannot be joined. */
  finishConfidence(): void {
    const kept = this.confidence.slice(-1000);
    for (const e of kept) this.truth.consultationsJoined += e.lines;
    const last = kept[kept.length - 1];
    if (!last) return;
    this.sinks.file(
      'confidence_metrics.json',
      `{\n  "metrics": [\n    ${kept.map((e) => e.text).join(',\n    ')}\n  ]\n}`,
      last.us,
    );
  }

  finishDormant(): void {
    if (!this.opts.dormant) return;
    if (this.capabilities.size > 0) {
      const metrics = [...this.capabilities.values()].map((c) => c.json());
      // Registered, never used: usage_count 0, no runs to report.
      if (!this.capabilities.has('documenter.generate_docs'))
        metrics.push(new CapabilitySim('documenter.generate_docs', 'documenter').json());
      this.sinks.file(
        'capabilities/capabilities.json',
        dumps({ version: '1.0', hardware_profile: 'workstation', metrics }, 2),
        this.lastLearnUs,
      );
    }
    if (this.memories.size > 0)
      this.sinks.file(
        'memory/memories.json',
        `[\n${[...this.memories.values()].join(',\n')}\n]`,
        this.lastLearnUs,
      );
  }

  /** A session file per CLI process (noise: no reader needs it). */
  session(us: number): void {
    if (!this.opts.noise) return;
    const id = this.uuid();
    this.sinks.file(
      `sessions/${id}.json`,
      dumps({ session_id: id, project_root: PROJECT_ROOT, started: false }, 2),
      us,
    );
  }
}

/** The capability registry's EMA updates, with Python's float operations. */
export class CapabilitySim {
  usage = 0;
  successRate = 0.5;
  duration = 0;
  quality = 0.5;
  successes = 0;

  constructor(
    readonly id: string,
    readonly agent: string,
  ) {}

  update(ok: boolean, seconds: number, quality: number | undefined): void {
    this.successRate = 0.9 * this.successRate + 0.1 * (ok ? 1 : 0);
    this.duration = 0.9 * this.duration + 0.1 * seconds;
    if (quality !== undefined) this.quality = 0.9 * this.quality + 0.1 * quality;
    this.usage += 1;
    if (ok) this.successes += 1;
  }

  json(): Record<string, unknown> {
    return {
      capability_id: this.id,
      agent_id: this.rngAgent(),
      success_rate: f(this.successRate),
      average_duration: f(this.duration),
      quality_score: f(this.quality),
      usage_count: this.usage,
      last_improved: null,
      refinement_history: [],
      metadata: {},
    };
  }

  private rngAgent(): string {
    return this.usage % 2 === 0 ? 'unknown' : this.agent;
  }
}

export function addTaskTruth(
  g: Gen,
  source: string,
  a: StepAttempt,
  status: 'success' | 'failure' | 'skipped',
): void {
  addTask(g.truth, source, a.agent, a.action, status);
}
