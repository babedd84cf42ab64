import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildHub, httpClient, startChildHub } from '../hub/child-hub.ts';
import { gzipJson, submissionCorpus } from '../hub/corpus.ts';
import { postgresUnavailable, startPostgres } from '../hub/postgres.ts';
import type { Figure } from './figure.ts';

export interface HubBenchOptions {
  backends?: readonly ('pglite' | 'postgres')[];
  /** Submissions stored before the aggregate is timed (the issue: 10,000). */
  stored?: number;
  /** Submissions per throughput sample. */
  window?: number;
  /** Timed GET /v1/aggregate requests, each after one more submission. */
  aggregateSamples?: number;
  log?: (line: string) => void;
}

/**
 * Issue 7's figures, for `npm run bench`: accepted submissions per second with 2 concurrent clients
 * against `learning hub serve` running as its own process (PGlite and PostgreSQL), and the time of
 * GET /v1/aggregate once 10,000 submissions are stored. Also reported: the hub's own CPU time per
 * submission (what one dedicated core would sustain), its stop time and its start time over the
 * stored data.
 */
export async function benchHub(o: HubBenchOptions = {}): Promise<Figure[]> {
  const stored = o.stored ?? 10_000;
  const window = o.window ?? 250;
  const log = o.log ?? (() => undefined);
  const backends = o.backends ?? ['pglite', 'postgres'];
  log(`hub bench: building ${stored + 20} submissions`);
  const bodies = submissionCorpus(stored + (o.aggregateSamples ?? 7) + 5).map(gzipJson);
  const figures: Figure[] = [];
  for (const backend of backends) {
    if (backend === 'postgres' && postgresUnavailable()) {
      log(`hub bench: PostgreSQL skipped: ${postgresUnavailable()}`);
      continue;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
    const pg = backend === 'postgres' ? await startPostgres() : null;
    const db = pg ? pg.url : join(dir, 'hub-db');
    const name = backend === 'postgres' ? 'PostgreSQL' : 'PGlite';
    const args = ['--db', db, '--port', '0', '--rate', '0', '--token-rate', '0'];
    let hub: ChildHub | null = await startChildHub(args, { cwd: dir, timeoutMs: 120_000 });
    const client = httpClient(2);
    try {
      const rates: number[] = [];
      let next = 0;
      let done = 0;
      let windowStart = performance.now();
      const cpu0 = hub.cpuMs();
      const main0 = hub.mainThreadCpuMs();
      const url = `${hub.url}/v1/submissions`;
      const worker = async () => {
        while (next < stored) {
          const body = bodies[next++] as Uint8Array;
          const r = await client.post(url, body, {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
          });
          if (r.status !== 201) throw new Error(`submission answered ${r.status}: ${r.body.slice(0, 300)}`);
          if (++done % window === 0) {
            const now = performance.now();
            rates.push((window * 1000) / (now - windowStart));
            windowStart = now;
          }
        }
      };
      const t0 = performance.now();
      await Promise.all([worker(), worker()]);
      const seconds = (performance.now() - t0) / 1000;
      const cpuPer = (hub.cpuMs() - cpu0) / stored;
      const mainPer = (hub.mainThreadCpuMs() - main0) / stored;
      log(
        `hub bench: ${name}: ${stored} accepted in ${seconds.toFixed(1)} s (${(stored / seconds).toFixed(0)}/s), hub CPU ` +
          `${cpuPer.toFixed(2)} ms per submission, of which ${mainPer.toFixed(2)} ms on its main thread`,
      );
      figures.push({
        scenario: 'hub',
        name: `accepted submissions per second, ${name}, 2 concurrent clients`,
        unit: '/s',
        samples: rates,
        target: { op: '>=', value: backend === 'postgres' ? 1000 : 300 },
      });
      figures.push({
        scenario: 'hub',
        name: `hub CPU time per accepted submission, ${name}`,
        unit: 'ms',
        samples: [cpuPer],
      });
      figures.push({
        scenario: 'hub',
        name: `hub main-thread CPU time per accepted submission (admission on worker threads), ${name}`,
        unit: 'ms',
        samples: [mainPer],
      });

      const times: number[] = [];
      for (let i = 0; i < (o.aggregateSamples ?? 7); i++) {
        const r = await client.post(url, bodies[next++] as Uint8Array, { 'content-encoding': 'gzip' });
        if (r.status !== 201) throw new Error(`submission answered ${r.status}`);
        const t = performance.now();
        const a = await client.get(`${hub.url}/v1/aggregate`);
        times.push(performance.now() - t);
        if (a.status !== 200) throw new Error(`aggregate answered ${a.status}`);
      }
      log(
        `hub bench: ${name}: GET /v1/aggregate over ${next} submissions: median ${median(times).toFixed(0)} ms`,
      );
      figures.push({
        scenario: 'hub',
        name: `GET /v1/aggregate over ${stored.toLocaleString('en')} stored submissions, ${name}`,
        unit: 'ms',
        samples: times,
        target: { op: '<=', value: 1000 },
      });

      // A clean stop writes the aggregate's last checkpoint (lib/hub/checkpoint.ts): timed too.
      const t0stop = performance.now();
      await hub.stop();
      hub = null;
      const stopMs = performance.now() - t0stop;
      figures.push({
        scenario: 'hub',
        name: `hub stop (SIGTERM to exit, last checkpoint written) with ${stored.toLocaleString('en')} stored, ${name}`,
        unit: 'ms',
        samples: [stopMs],
      });
      const t1 = performance.now();
      hub = await startChildHub(args, { cwd: dir, timeoutMs: 300_000 });
      const startMs = performance.now() - t1;
      log(
        `hub bench: ${name}: stop in ${stopMs.toFixed(0)} ms; restart over ${next} submissions ready in ${startMs.toFixed(0)} ms`,
      );
      figures.push({
        scenario: 'hub',
        name: `hub start (process, database, aggregate loaded) with ${stored.toLocaleString('en')} stored, ${name}`,
        unit: 'ms',
        samples: [startMs],
      });
    } finally {
      client.close();
      await hub?.stop();
      await pg?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return figures;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
}
