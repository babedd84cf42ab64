import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOptions } from '../../lib/options.ts';
import { EMPTY_IDENTITY } from '../../lib/privacy/identity.ts';
import { add } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import { emptyState } from '../../lib/rollup/state-file.ts';
import { ensureConsent } from '../../lib/submit/approval.ts';
import { loadConsent } from '../../lib/submit/consent-store.ts';
import { defaultDeps } from '../../lib/submit/deps.ts';
import { DEFAULT_GITHUB_API, parseDestination } from '../../lib/submit/destination.ts';
import { prefilledIssue } from '../../lib/submit/github-issue.ts';
import { killSwitch } from '../../lib/submit/kill-switch.ts';
import { buildPayload, type Payload } from '../../lib/submit/payload.ts';
import { postToHub } from '../../lib/submit/transport-http.ts';
import { TestHub } from '../submit/support/hub-server.ts';
import { type Figure, timeMsAsync } from './figure.ts';
import { syntheticObservations } from './rollup.bench.ts';

async function payloadFor(events: number, projectRoot: string): Promise<Payload> {
  const rollup = emptyRollup();
  for (const o of syntheticObservations(events)) add(rollup, o);
  const state = { ...emptyState(new Date('2026-11-01T00:00:00Z')), rollup, eventsSeen: events };
  return buildPayload(state, {
    now: new Date('2026-11-01T00:00:00Z'),
    projectId: 'p_0000000000000001',
    projectRoot,
    options: resolveOptions(undefined, undefined),
    exclude: [],
    format: 'json',
    identity: EMPTY_IDENTITY,
  });
}

/**
 * Submission figures: payload size against the 64 KB cap and the prefilled-URL limit (goal 8), the
 * time a run without consent takes to refuse (goal 1: ≤ 1 ms, no prompt), and a loopback round trip.
 */
export async function benchSubmit(runs = 30): Promise<Figure[]> {
  const figures: Figure[] = [];
  const root = mkdtempSync(join(tmpdir(), 'bench-submit-'));
  mkdirSync(join(root, '.tapps-agents'));
  for (const events of [1_000, 1_000_000]) {
    const p = await payloadFor(events, root);
    figures.push({
      scenario: 'submit',
      name: `payload, gzip JSON, ${events.toLocaleString('en')} events`,
      unit: 'KB',
      samples: [p.bytes.byteLength / 1024],
      target: { op: '<=', value: 64 },
    });
    const url = prefilledIssue(
      'https://github.com',
      'wtthornton',
      'TappsCodingAgents',
      p.doc,
      p,
      'learning-x.json.gz',
    );
    figures.push({
      scenario: 'submit',
      name: `prefilled issue URL (${url?.inline ? 'payload inline' : 'attachment'}), ${events.toLocaleString('en')} events`,
      unit: 'KB',
      samples: [(url?.url.length ?? Number.NaN) / 1024],
      target: { op: '<=', value: 8 },
    });
  }

  const io = {
    stdin: { isTTY: false } as NodeJS.ReadableStream & { isTTY?: boolean },
    stderr: process.stderr,
    env: { CI: 'true' },
  };
  const destination = parseDestination('github', {
    cwd: root,
    githubApiBase: DEFAULT_GITHUB_API,
    source: '--to',
  });
  const refusals: number[] = [];
  for (let i = 0; i < runs * 10; i++) {
    refusals.push(
      await timeMsAsync(async () => {
        if (killSwitch(io.env, { submitDisabledByConfig: false, configFile: null })) return;
        const state = loadConsent(root);
        await ensureConsent(io, {
          projectRoot: root,
          state,
          destination,
          source: 'the default',
          command: 'learning submit',
          now: new Date(),
        });
      }),
    );
  }
  figures.push({
    scenario: 'submit',
    name: 'refusal without consent in CI (read consent, decide, no prompt)',
    unit: 'ms',
    samples: refusals,
    target: { op: '<=', value: 1 },
  });

  const hub = await new TestHub().start();
  try {
    const p = await payloadFor(1_000, root);
    const d = defaultDeps();
    const trips: number[] = [];
    for (let i = 0; i < runs; i++) trips.push(await timeMsAsync(() => postToHub(hub.url, p, d)));
    figures.push({
      scenario: 'submit',
      name: 'HTTP submission round trip on loopback',
      unit: 'ms',
      samples: trips,
    });
  } finally {
    await hub.stop();
  }
  return figures;
}
