import { capabilityKey, normalizeName } from '../../lib/privacy/names.ts';

export interface CapabilityCounts {
  runs: number;
  success: number;
  failure: number;
  skipped: number;
}

/**
 * What a generated project contains, counted the way lib/sources reports it: one task per step
 * attempt whatever number of stores record it, plus the dormant stores' own records.
 */
export interface Truth {
  /** Capability key (`agent.action`, normalized) → outcomes. */
  tasks: Record<string, CapabilityCounts>;
  /** Workflow type → status → runs. */
  workflows: Record<string, Record<string, number>>;
  /** Normalized domain → expert answers (expert_performance lines). */
  consultations: Record<string, number>;
  /** Expert answers whose confidence_metrics entry survives the file's last-1000 cap. */
  consultationsJoined: number;
  /** Tasks per source store that first reports them. */
  bySource: Record<string, number>;
}

export function emptyTruth(): Truth {
  return { tasks: {}, workflows: {}, consultations: {}, consultationsJoined: 0, bySource: {} };
}

export function addTask(
  t: Truth,
  source: string,
  agent: string,
  action: string | undefined,
  status: 'success' | 'failure' | 'skipped',
): void {
  const key = capabilityKey(agent, action);
  const c = t.tasks[key] ?? { runs: 0, success: 0, failure: 0, skipped: 0 };
  t.tasks[key] = c;
  c.runs += 1;
  c[status] += 1;
  t.bySource[source] = (t.bySource[source] ?? 0) + 1;
}

export function addWorkflow(t: Truth, type: string, status: string): void {
  const key = normalizeName(type);
  const w = t.workflows[key] ?? {};
  t.workflows[key] = w;
  w[status] = (w[status] ?? 0) + 1;
}

export function addConsultation(t: Truth, domain: string, n = 1): void {
  const key = normalizeName(domain);
  t.consultations[key] = (t.consultations[key] ?? 0) + n;
}

export function totals(t: Truth): { tasks: number; workflows: number; consultations: number } {
  let tasks = 0;
  for (const c of Object.values(t.tasks)) tasks += c.runs;
  let workflows = 0;
  for (const s of Object.values(t.workflows)) for (const n of Object.values(s)) workflows += n;
  let consultations = 0;
  for (const n of Object.values(t.consultations)) consultations += n;
  return { tasks, workflows, consultations };
}
