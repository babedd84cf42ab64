import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadState } from '../../lib/rollup/state-file.ts';
import { checkpointField, checkpointsOf, packCheckpoints } from '../../lib/sources/checkpoint-pack.ts';
import type { Checkpoints } from '../../schema/checkpoints.ts';
import type { State } from '../../schema/state.ts';
import { BIN } from '../cli/harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The end-to-end tests run the compiled bin; build it once when it is missing. */
export function ensureBin(): string {
  if (!existsSync(BIN)) execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  return BIN;
}

/**
 * The same pseudonym key in two projects, so labels of names the framework does not ship (keyed
 * pseudonyms) compare equal between a project and its copy.
 */
export function shareSecret(projectRoot: string, hex = 'ab'.repeat(32)): void {
  const dir = join(projectRoot, '.tapps-agents', 'learning-plugin');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'secret'), `${hex}\n`, { mode: 0o600 });
}

/** Copies a project's `.tapps-agents/` (without the plugin's own folder) into another project. */
export function copyStores(from: string, to: string): void {
  const plugin = `${sep}learning-plugin`;
  cpSync(join(from, '.tapps-agents'), join(to, '.tapps-agents'), {
    recursive: true,
    filter: (src) => !src.includes(plugin),
  });
}

export function state(projectRoot: string): State {
  return loadState(projectRoot).state;
}

/** The numbers collection must neither lose nor double: per capability, workflow type and domain. */
export function counts(s: State) {
  const r = s.rollup;
  return {
    tasks: r.tasks,
    workflowRuns: r.workflowRuns,
    consultations: r.consultationCount,
    eventsSeenMinusDuplicates: s.eventsSeen - s.duplicates,
    rejected: s.rejected,
    capabilities: Object.fromEntries(
      Object.entries(r.capabilities)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, c]) => [
          k,
          { runs: c.runs, successes: c.successes, failures: c.failures, skips: c.skips, retries: c.retries },
        ]),
    ),
    workflows: Object.fromEntries(
      Object.entries(r.workflows)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, w]) => [k, { runs: w.runs, outcomes: w.outcomes }]),
    ),
    experts: Object.fromEntries(
      Object.entries(r.experts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, e]) => [k, e.consultations]),
    ),
  };
}

/**
 * A state with its clock readings blanked, to compare two saves of the same content. The kept
 * directory listings go too: they are a cache of what the folders held, stamped with when they
 * were read, not a record of what was collected.
 */
export function withoutTimes(s: State): State {
  return {
    ...s,
    createdAt: '',
    updatedAt: '',
    lastCollectAt: null,
    checkpoints: checkpointField(packCheckpoints(progress(s))),
  };
}

/** What a state's checkpoints say was read (the kept directory listings left out). */
export function progress(s: State): Checkpoints {
  const { listings: _, ...rest } = checkpointsOf(s.checkpoints);
  return rest;
}

/**
 * Grows a project's stores to a later snapshot the way the framework writes: an append-only file
 * gets only its new bytes appended, a rewritten file is truncated and written in place, new files
 * appear. A collector running meanwhile sees what it would see beside the real framework.
 */
export function growStores(snapshot: string, project: string): void {
  const from = join(snapshot, '.tapps-agents');
  const to = join(project, '.tapps-agents');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  for (const src of walk(from)) {
    const dest = join(to, relative(from, src));
    const next = readFileSync(src);
    if (!existsSync(dest)) {
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, next);
      continue;
    }
    const now = readFileSync(dest);
    if (now.equals(next)) continue;
    if (next.length > now.length && next.subarray(0, now.length).equals(now))
      appendFileSync(dest, next.subarray(now.length));
    else writeFileSync(dest, next);
  }
}

/**
 * Lines of `learning/expert_performance.jsonl` as the framework writes them (3.6: naive UTC),
 * one consultation each, numbered from `from`: each is a new record to the collector.
 */
export function expertLines(from: number, count: number): string {
  let out = '';
  for (let i = from; i < from + count; i++) {
    const at = new Date(Date.UTC(2026, 9, 1, 12, 0, 0) + i * 1000)
      .toISOString()
      .replace('Z', '')
      .replace(/\.(\d{3})$/, '.$1000');
    out += `${JSON.stringify({ expert_id: 'expert-security', domain: 'security', confidence: 0.5 + (i % 5) / 10, query: `q${i}`, timestamp: at })}\n`;
  }
  return out;
}
