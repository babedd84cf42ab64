import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packCheckpoints } from '../../lib/sources/checkpoint-pack.ts';
import { readStores } from '../../lib/sources/read-stores.ts';
import { generateTappsProject, PRESETS } from '../generators/tapps-project.ts';
import { type Figure, summarize, timeMsAsync } from './figure.ts';

export interface CollectBenchOptions {
  /** Full reads to time (each from empty checkpoints). */
  runs?: number;
  /** Reuse a generated project here instead of a temporary one (kept afterwards). */
  dir?: string;
}

/**
 * Collection throughput: `readStores` over the generated `large` project (≥ 500,000 records: headless
 * event logs, expert consultations, execution metrics and their dual write, audit lines, Cursor-mode
 * markers and event files, builds, epics, dormant stores), from empty checkpoints, with an `onRecord`
 * that only counts. Records are what the stores hold (lines, entries, one-file records), bytes what
 * was read. Also the time of a read that finds nothing new (same process, checkpoints in memory).
 * Checkpoints go in and come out packed, as `learning collect` keeps them.
 */
export async function benchCollect(o: CollectBenchOptions = {}): Promise<Figure[]> {
  const runs = o.runs ?? 5;
  const root = o.dir ?? mkdtempSync(join(tmpdir(), 'bench-collect-'));
  try {
    const project = generateTappsProject(root, PRESETS.large);
    // The generator leaves ~500 MB of dirty pages: their write-back would be timed with the reads.
    spawnSync('sync');
    const recordsPerSecond: number[] = [];
    const recordsPerCpuSecond: number[] = [];
    const mbPerSecond: number[] = [];
    const nothingNewMs: number[] = [];
    let records = 0;
    for (let i = 0; i < runs; i++) {
      let bytes = 0;
      let checkpoints = packCheckpoints({});
      const cpu = process.cpuUsage();
      const ms = await timeMsAsync(async () => {
        const r = await readStores({
          tappsDir: project.tappsDir,
          checkpoints: packCheckpoints({}),
          timeZone: project.timeZone,
          onRecord: () => {},
        });
        records = Object.values(r.stats).reduce((a, s) => a + s.records, 0);
        bytes = Object.values(r.stats).reduce((a, s) => a + s.bytesRead, 0);
        checkpoints = r.checkpoints;
      });
      const used = process.cpuUsage(cpu);
      recordsPerSecond.push(records / (ms / 1000));
      // On a shared machine wall time measures the neighbours too; CPU time is this process's work.
      recordsPerCpuSecond.push(records / ((used.user + used.system) / 1e6));
      mbPerSecond.push(bytes / 1e6 / (ms / 1000));
      nothingNewMs.push(
        await timeMsAsync(() =>
          readStores({
            tappsDir: project.tappsDir,
            checkpoints,
            timeZone: project.timeZone,
            onRecord: () => {},
          }),
        ),
      );
    }
    const scenario = `collect (${records.toLocaleString('en-US')} records)`;
    return [
      {
        scenario,
        name: 'full collection throughput',
        unit: 'records/s',
        samples: recordsPerSecond,
        target: { op: '>=', value: 150_000 },
      },
      {
        scenario,
        name: 'full collection throughput per CPU second',
        unit: 'records/cpu-s',
        samples: recordsPerCpuSecond,
      },
      { scenario, name: 'full collection throughput', unit: 'MB/s', samples: mbPerSecond },
      { scenario, name: 'readStores with nothing new (in process)', unit: 'ms', samples: nothingNewMs },
    ];
  } finally {
    if (!o.dir) rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchCollect({ runs: Number(process.env.RUNS ?? 3) })) {
    const s = summarize(f);
    console.log(
      `${f.scenario} | ${f.name}: median ${s.median.toFixed(1)} ${f.unit} (p10 ${s.p10.toFixed(1)}, p90 ${s.p90.toFixed(1)})${s.met === null ? '' : s.met ? ' target met' : ' TARGET MISSED'}`,
    );
  }
}
