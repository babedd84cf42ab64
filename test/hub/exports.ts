import { rmSync, writeFileSync } from 'node:fs';
import { buildExport } from '../../lib/export/build.ts';
import { ensurePluginDir, pluginFile } from '../../lib/files/plugin-dir.ts';
import { Recorder } from '../../lib/rollup/recorder.ts';
import type { TaskCompletedEvent } from '../../schema/events.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import { Rng } from '../generators/prng.ts';
import { tempDir } from '../temp-dir.ts';

/**
 * Seeded learning exports for the hub's tests: events go through the real Recorder (allow-list,
 * pseudonyms, rollup) and buildExport, as on a user's machine. The project secret is derived from
 * the seed, so project ids and export ids are the same on every run.
 */
export interface CapabilitySpec {
  agent: string;
  action: string;
  runs: number;
  /** Exactly round(runs × successRate) runs succeed. */
  successRate: number;
  /** Mean quality 0..100 (each run ± 10). */
  quality?: number;
  errorType?: string;
}

export interface ProjectSpec {
  /** Seeds the events (times, durations, scores). */
  seed: number;
  /** Seeds the project's secret, hence its id (default: the seed). */
  project?: number;
  frameworkVersion: string;
  capabilities: readonly CapabilitySpec[];
  /** When the export is made; runs spread over the 28 days before. */
  now?: Date;
  consultations?: number;
  workflows?: number;
  /** The export's k (default 5, as a user's). */
  k?: number;
}

export const NOW = new Date('2026-11-24T03:00:00Z');

export function projectExport(spec: ProjectSpec): ExportV1 {
  const root = tempDir('hub-gen-');
  try {
    ensurePluginDir(root);
    const keyRng = new Rng(spec.project ?? spec.seed);
    const secret = Array.from({ length: 32 }, () => keyRng.int(0, 255).toString(16).padStart(2, '0')).join(
      '',
    );
    const rng = new Rng(spec.seed);
    writeFileSync(pluginFile(root, 'secret'), `${secret}\n`, { mode: 0o600 });
    const now = spec.now ?? NOW;
    const rec = new Recorder(root, () => now);
    let id = 0;
    for (const c of spec.capabilities) {
      const ok = Math.round(c.runs * c.successRate);
      const outcomes = Array.from({ length: c.runs }, (_, i) => i < ok);
      shuffle(outcomes, rng);
      for (const success of outcomes) {
        const at = new Date(now.getTime() - rng.int(1, 28 * 24) * 3_600_000);
        const event: TaskCompletedEvent = {
          id: `t${id++}`,
          source: 'in-process',
          agent: c.agent,
          action: c.action,
          status: success ? 'success' : 'failure',
          finishedAt: at.toISOString(),
          durationMs: rng.skewed(500, 600_000),
          ...(c.quality === undefined
            ? {}
            : { qualityScore: Math.max(0, Math.min(100, c.quality + rng.int(-10, 10))) }),
          ...(success ? {} : { errorType: c.errorType ?? 'TimeoutError' }),
          workflow: { type: 'rapid-dev' },
          files: ['src/app.py'],
        };
        rec.record('task', event);
      }
    }
    for (let i = 0; i < (spec.workflows ?? 0); i++) {
      rec.record('workflow', {
        id: `w${i}`,
        source: 'in-process',
        workflow: { type: rng.pick(['rapid-dev', 'fix']) },
        status: rng.chance(0.7) ? 'completed' : 'failed',
        finishedAt: new Date(now.getTime() - rng.int(1, 28 * 24) * 3_600_000).toISOString(),
        durationMs: rng.skewed(60_000, 3_600_000),
        ...(rng.chance(0.3) ? { errorType: 'RuntimeError' } : {}),
      });
    }
    for (let i = 0; i < (spec.consultations ?? 0); i++) {
      rec.record('consultation', {
        id: `c${i}`,
        source: 'in-process',
        expertId: 'expert-security',
        domain: 'security',
        confidence: rng.next(),
        threshold: 0.6,
        at: new Date(now.getTime() - rng.int(1, 28 * 24) * 3_600_000).toISOString(),
      });
    }
    return buildExport(rec.pendingRollup, {
      now,
      projectId: rec.projectId(),
      producerVersion: '0.1.0',
      frameworkVersion: spec.frameworkVersion,
      k: spec.k ?? 5,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function shuffle<T>(a: T[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
}

/** The standard capability mix of a test project. */
export function standardCapabilities(
  overrides: Partial<Record<string, Partial<CapabilitySpec>>> = {},
): CapabilitySpec[] {
  const base: CapabilitySpec[] = [
    { agent: 'implementer', action: 'implement', runs: 40, successRate: 0.8, quality: 75 },
    {
      agent: 'reviewer',
      action: 'review-code',
      runs: 30,
      successRate: 0.9,
      quality: 80,
      errorType: 'ValueError',
    },
    { agent: 'tester', action: 'write-tests', runs: 24, successRate: 0.75, quality: 70 },
  ];
  return base.map((c) => ({ ...c, ...(overrides[`${c.agent}.${c.action}`] ?? {}) }));
}

/**
 * Issue 9's release scenario: `perVersion` projects under each of two framework versions. Between
 * them `reviewer.review-code` truly regresses (success 90% → 60%, quality 80 → 65); the other two
 * capabilities do not change at all (same success counts, same score draws).
 */
export function releaseScenario(
  perVersion = 6,
  versions: readonly [string, string] = ['3.7.0', '3.8.0'],
): ExportV1[] {
  const out: ExportV1[] = [];
  versions.forEach((frameworkVersion, v) => {
    for (let i = 0; i < perVersion; i++) {
      const regressed = v === 1;
      out.push(
        projectExport({
          seed: 1000 + i,
          project: 5000 + v * 100 + i,
          frameworkVersion,
          capabilities: standardCapabilities({
            'reviewer.review-code': regressed
              ? { successRate: 0.6, quality: 65 }
              : { successRate: 0.9, quality: 80 },
          }),
          workflows: 6,
          consultations: 6,
        }),
      );
    }
  });
  return out;
}
