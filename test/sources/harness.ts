import { appendFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { capabilityKey } from '../../lib/privacy/names.ts';
import { readStores } from '../../lib/sources/read-stores.ts';
import type { Checkpoints } from '../../schema/checkpoints.ts';
import type { ConsultationEvent, TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import type { StoreName, StoreStats } from '../../schema/stores.ts';
import { tempDir } from '../temp-dir.ts';

/** A throw-away `.tapps-agents/` directory. */
export class TempTapps {
  readonly root: string;
  readonly dir: string;

  constructor() {
    this.root = tempDir('sources-');
    this.dir = join(this.root, '.tapps-agents');
    mkdirSync(this.dir, { recursive: true });
  }

  path(rel: string): string {
    return join(this.dir, ...rel.split('/'));
  }

  write(rel: string, text: string, mtime?: Date): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    writeFileSync(this.path(rel), text);
    if (mtime) utimesSync(this.path(rel), mtime, mtime);
  }

  append(rel: string, text: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    appendFileSync(this.path(rel), text);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface Collected {
  tasks: TaskCompletedEvent[];
  workflows: WorkflowCompletedEvent[];
  consultations: ConsultationEvent[];
  stats: Record<StoreName, StoreStats>;
  checkpoints: Checkpoints;
}

export async function collect(
  dir: string,
  checkpoints: Checkpoints = {},
  o: { timeZone?: string; stores?: StoreName[]; now?: () => number } = {},
): Promise<Collected> {
  const out: Collected = {
    tasks: [],
    workflows: [],
    consultations: [],
    stats: {} as Collected['stats'],
    checkpoints: {},
  };
  const r = await readStores({
    tappsDir: dir,
    checkpoints,
    timeZone: o.timeZone ?? 'America/Los_Angeles',
    ...(o.stores ? { stores: o.stores } : {}),
    ...(o.now ? { now: o.now } : {}),
    onRecord: (x) => {
      if (x.kind === 'task') out.tasks.push(x.event);
      else if (x.kind === 'workflow') out.workflows.push(x.event);
      else out.consultations.push(x.event);
    },
  });
  out.stats = r.stats;
  out.checkpoints = r.checkpoints;
  return out;
}

export function emittedCount(c: Collected): number {
  return c.tasks.length + c.workflows.length + c.consultations.length;
}

/** Per capability: runs and outcomes, the shape of the generator's truth. */
export function byCapability(
  tasks: readonly TaskCompletedEvent[],
): Record<string, { runs: number; success: number; failure: number; skipped: number }> {
  const out: Record<string, { runs: number; success: number; failure: number; skipped: number }> = {};
  for (const t of tasks) {
    const k = capabilityKey(t.agent, t.action);
    const c = out[k] ?? { runs: 0, success: 0, failure: 0, skipped: 0 };
    out[k] = c;
    c.runs += 1;
    c[t.status] += 1;
  }
  return sortKeys(out);
}

export function byWorkflowType(
  workflows: readonly WorkflowCompletedEvent[],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const w of workflows) {
    const t = w.workflow.type ?? '?';
    const s = out[t] ?? {};
    out[t] = s;
    s[w.status] = (s[w.status] ?? 0) + 1;
  }
  return sortKeys(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, sortKeys(v)])));
}

export function countBy<T>(items: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return sortKeys(out);
}

export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
