import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateTappsProject, PRESETS } from '../generators/tapps-project.ts';
import { type Figure, summarize } from './figure.ts';

/** The compiled bin (`npm run bench` builds first), from the sources or from dist/test/bench. */
const BIN = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? '../../dist/lib/cli/bin.js' : '../../lib/cli/bin.js',
    import.meta.url,
  ),
);

export interface CollectProcessBenchOptions {
  /** Timed `learning collect` processes with nothing new. */
  runs?: number;
  /** Reuse a generated project here instead of a temporary one (kept afterwards). */
  dir?: string;
}

function collectOnce(root: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'learning', 'collect'], {
    cwd: root,
    stdio: 'ignore',
    env: { PATH: process.env.PATH },
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`learning collect exited ${r.status}`);
  return ms;
}

/**
 * What a user (or the framework's SessionEnd hook) waits for: the whole `node dist/lib/cli/bin.js
 * learning collect` process, start to exit, on the generated `large` project (≥ 500,000 records)
 * already collected, so nothing is new. Also the first, full collection as one process, through
 * the hooks, the privacy layer and the rollups into the state file (records/s).
 */
export async function benchCollectProcess(o: CollectProcessBenchOptions = {}): Promise<Figure[]> {
  if (!existsSync(BIN)) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  const runs = o.runs ?? 15;
  const root = o.dir ?? mkdtempSync(join(tmpdir(), 'bench-collect-process-'));
  try {
    mkdirSync(join(root, '.git'), { recursive: true });
    const project = generateTappsProject(root, PRESETS.large);
    writeFileSync(
      join(root, 'tapps-agents.config.json'),
      JSON.stringify({ learning: { timeZone: project.timeZone } }),
    );
    rmSync(join(root, '.tapps-agents', 'learning-plugin'), { recursive: true, force: true });
    const fullMs = collectOnce(root);
    const records = countRecords(root);
    collectOnce(root); // warm the file cache after the state's first write
    const nothingNew: number[] = [];
    for (let i = 0; i < runs; i++) nothingNew.push(collectOnce(root));
    const scenario = `collect process (${records.toLocaleString('en-US')} records)`;
    return [
      {
        scenario,
        name: 'node bin.js learning collect, nothing new (whole process)',
        unit: 'ms',
        samples: nothingNew,
        target: { op: '<=', value: 150 },
      },
      {
        scenario,
        name: 'node bin.js learning collect, first full collection (whole process, through hooks and rollups)',
        unit: 'records/s',
        samples: [records / (fullMs / 1000)],
      },
    ];
  } finally {
    if (!o.dir) rmSync(root, { recursive: true, force: true });
  }
}

/** Records the first collection read, from the state it saved. */
function countRecords(root: string): number {
  const out = spawnSync(process.execPath, [BIN, 'learning', 'status', '--json'], {
    cwd: root,
    env: { PATH: process.env.PATH },
  });
  const status = JSON.parse(out.stdout.toString()) as { sources: Record<string, { records: number }> };
  return Object.values(status.sources).reduce((a, s) => a + s.records, 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchCollectProcess({ runs: Number(process.env.RUNS ?? 15) })) {
    const s = summarize(f);
    console.log(
      `${f.scenario} | ${f.name}: median ${s.median.toFixed(1)} ${f.unit} (p10 ${s.p10.toFixed(1)}, p90 ${s.p90.toFixed(1)})${
        s.met === null ? '' : s.met ? ' target met' : ' TARGET MISSED'
      }`,
    );
  }
}
