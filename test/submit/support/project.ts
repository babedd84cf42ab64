import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOptions } from '../../../lib/options.ts';
import { EMPTY_IDENTITY } from '../../../lib/privacy/identity.ts';
import { Recorder } from '../../../lib/rollup/recorder.ts';
import { loadState } from '../../../lib/rollup/state-file.ts';
import { buildPayload, type Payload } from '../../../lib/submit/payload.ts';
import { tempDir } from '../../temp-dir.ts';

/** A temp project (`.tapps-agents/` and a `.git` marker) whose rollups hold `tasks` recorded task events. */
export async function projectWithData(
  o: { tasks?: number; agents?: number; prefix?: string } = {},
): Promise<string> {
  const dir = tempDir(o.prefix ?? 'submit-');
  mkdirSync(join(dir, '.tapps-agents'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  const rec = new Recorder(dir, () => new Date('2026-10-20T12:00:00Z'));
  const agents = [
    'implementer',
    'reviewer',
    'tester',
    'architect',
    'debugger',
    'documenter',
    'planner',
    'analyst',
  ].slice(0, o.agents ?? 3);
  const actions = [
    'implement',
    'review-code',
    'write-tests',
    'design',
    'debug',
    'document',
    'plan',
    'analyze',
  ];
  const start = Date.parse('2026-09-01T00:00:00Z');
  const n = o.tasks ?? 120;
  for (let i = 0; i < n; i++) {
    const a = i % agents.length;
    rec.record('task', {
      id: `t${i}`,
      source: 'test',
      agent: agents[a] as string,
      action: actions[a],
      status: i % 4 === 0 ? 'failure' : 'success',
      errorType: 'TimeoutError',
      finishedAt: new Date(start + (i % 40) * 86_400_000).toISOString(),
      durationMs: 1000 + i * 7,
      qualityScore: 50 + (i % 50),
    });
  }
  await rec.flush();
  return dir;
}

/** An environment with nothing of the caller's: no CI, no DO_NOT_TRACK, no token, unless added. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), ...extra };
}

/** A real payload (the whole export chain) for a project, with an empty machine identity to keep it fast. */
export async function payloadOf(dir: string, format: 'json' | 'msgpack' = 'json'): Promise<Payload> {
  const { state } = loadState(dir);
  return buildPayload(state, {
    now: new Date('2026-11-01T00:00:00Z'),
    projectId: new Recorder(dir).projectId(),
    projectRoot: dir,
    options: resolveOptions(undefined, undefined),
    exclude: [],
    format,
    identity: EMPTY_IDENTITY,
  });
}
