import type { ConsultationLink, Links, StepLink } from '../../schema/links.ts';

/** Width of the time buckets the book is indexed by. */
const BUCKET_MS = 10 * 60_000;
/** A step spanning more buckets than this (over a week) is found by its name only. */
const MAX_BUCKETS = 1_100;

/**
 * The calibration join's waiting room, indexed so that a collection of 500,000 records does not
 * compare every consultation with every step: steps and waiting consultations are filed by agent
 * and 10-minute bucket (a step under every bucket its run, widened by `slack`, touches), and by
 * step pseudonym. The persisted form stays the two plain arrays (`toLinks`).
 */
export class LinkBook {
  readonly #steps: StepLink[] = [];
  readonly #consultations: ConsultationLink[] = [];
  readonly #settled = new Set<string>();
  /** Entries this book gained since it was read: what a flush adds to the file. */
  readonly #added = new Set<string>();
  readonly #stepsAt = new Map<string, StepLink[]>();
  readonly #stepsNamed = new Map<string, StepLink[]>();
  readonly #waitingAt = new Map<string, ConsultationLink[]>();
  readonly #waitingNamed = new Map<string, ConsultationLink[]>();

  constructor(
    readonly slack: number,
    from?: Links,
  ) {
    for (const s of from?.steps ?? []) this.#fileStep(s);
    for (const c of from?.consultations ?? []) this.#fileWaiting(c);
  }

  /** Steps that may have run `c`: same name, or same agent around its instant. */
  stepsNear(c: ConsultationLink): StepLink[] {
    const named = c.step === undefined ? [] : (this.#stepsNamed.get(c.step) ?? []);
    const timed = c.agent === undefined ? [] : (this.#stepsAt.get(key(c.agent, bucket(c.at))) ?? []);
    return named.length === 0 ? timed : [...named, ...timed];
  }

  /** Waiting consultations that `s` may have run, not yet settled. */
  waitingNear(s: StepLink): ConsultationLink[] {
    const out: ConsultationLink[] = [];
    const seen = new Set<ConsultationLink>();
    const take = (list: ConsultationLink[] | undefined) => {
      for (const c of list ?? [])
        if (!seen.has(c) && !this.#settled.has(c.id)) {
          seen.add(c);
          out.push(c);
        }
    };
    if (s.step !== undefined) take(this.#waitingNamed.get(s.step));
    const span = this.#span(s);
    if (span) for (let b = span[0]; b <= span[1]; b++) take(this.#waitingAt.get(key(s.agent, b)));
    return out;
  }

  addStep(s: StepLink): void {
    this.#added.add(s.id);
    this.#fileStep(s);
  }

  wait(c: ConsultationLink): void {
    this.#added.add(c.id);
    this.#fileWaiting(c);
  }

  settle(c: ConsultationLink): void {
    this.#settled.add(c.id);
  }

  /** Ids of entries added since the book was read. */
  get added(): ReadonlySet<string> {
    return this.#added;
  }

  /** Ids of consultations linked since the book was read. */
  get settled(): ReadonlySet<string> {
    return this.#settled;
  }

  #fileStep(s: StepLink): void {
    this.#steps.push(s);
    if (s.step !== undefined) file(this.#stepsNamed, s.step, s);
    const span = this.#span(s);
    if (span) for (let b = span[0]; b <= span[1]; b++) file(this.#stepsAt, key(s.agent, b), s);
  }

  #fileWaiting(c: ConsultationLink): void {
    this.#consultations.push(c);
    if (c.step !== undefined) file(this.#waitingNamed, c.step, c);
    if (c.agent !== undefined) file(this.#waitingAt, key(c.agent, bucket(c.at)), c);
  }

  /** The waiting consultations, oldest first. */
  get waiting(): ConsultationLink[] {
    return this.#consultations.filter((c) => !this.#settled.has(c.id));
  }

  toLinks(): Links {
    return { consultations: this.waiting, steps: [...this.#steps] };
  }

  #span(s: StepLink): [number, number] | undefined {
    const first = bucket(s.start - this.slack);
    const last = bucket(s.end + this.slack);
    return last - first < MAX_BUCKETS ? [first, last] : undefined;
  }
}

function bucket(ms: number): number {
  return Math.floor(ms / BUCKET_MS);
}

function key(agent: string, b: number): string {
  return `${agent}\u0000${b}`;
}

function file<T>(map: Map<string, T[]>, k: string, x: T): void {
  const list = map.get(k);
  if (list) list.push(x);
  else map.set(k, [x]);
}
