import { writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { benchCollect } from './collect.bench.ts';
import { benchCollectProcess } from './collect-process.bench.ts';
import { benchDashboard } from './dashboard.bench.ts';
import { type Figure, summarize } from './figure.ts';
import { benchGate } from './gate.bench.ts';
import { benchHub } from './hub.bench.ts';
import { benchExport, benchRollupUpdate } from './rollup.bench.ts';
import { benchSubmit } from './submit.bench.ts';

/**
 * `npm run bench`: every benchmark scenario the issues name, on generated data of stated sizes.
 * Writes bench-results.json (median, p10, p90 per figure, machine info) and prints one table.
 * Speed targets are checked here, not in timed tests: a loaded CI machine must not fail the suite.
 */
type Scenario = { name: string; run: () => Promise<Figure[]> };

const scenarios: Scenario[] = [
  { name: 'rollup update', run: async () => [benchRollupUpdate(1_000_000)] },
  { name: 'export', run: () => benchExport(15) },
  {
    name: 'privacy gate',
    run: async () => {
      const r = await benchGate(15);
      return [
        {
          scenario: 'gate',
          name: `gate on a ${(r.bytes / 1e6).toFixed(2)} MB document (cold caches)`,
          unit: 'ms',
          samples: r.coldMs,
          target: { op: '<=', value: 100 },
        },
        { scenario: 'gate', name: 'gate, same document again (warm)', unit: 'ms', samples: r.warmMs },
      ];
    },
  },
  { name: 'collect', run: () => benchCollect({ runs: 5 }) },
  { name: 'collect process', run: () => benchCollectProcess({ runs: 15 }) },
  { name: 'dashboard', run: async () => benchDashboard(30, 1_000_000) },
  { name: 'submit', run: () => benchSubmit(30) },
  { name: 'hub', run: () => benchHub({ stored: 10_000, log: (l) => process.stderr.write(`  ${l}\n`) }) },
];

const only = process.argv.slice(2);
const results: { figure: Figure; summary: ReturnType<typeof summarize> }[] = [];
const started = Date.now();
for (const s of scenarios) {
  if (only.length > 0 && !only.some((o) => s.name.includes(o))) continue;
  process.stderr.write(`bench: ${s.name}…\n`);
  try {
    for (const figure of await s.run()) results.push({ figure, summary: summarize(figure) });
  } catch (error) {
    process.stderr.write(
      `bench: ${s.name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
  (globalThis as { gc?: () => void }).gc?.();
}

const machine = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  freeMemoryGiB: +(freemem() / 2 ** 30).toFixed(1),
  platform: `${process.platform} ${process.arch}`,
};
writeFileSync(
  'bench-results.json',
  `${JSON.stringify(
    {
      createdAt: new Date().toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine,
      figures: results.map(({ figure, summary }) => ({
        scenario: figure.scenario,
        name: figure.name,
        unit: figure.unit,
        median: round(summary.median),
        p10: round(summary.p10),
        p90: round(summary.p90),
        p99: round(summary.p99),
        samples: summary.n,
        target: figure.target ? `${figure.target.op} ${figure.target.value}` : null,
        met: summary.met,
      })),
    },
    null,
    2,
  )}\n`,
);

const rows = results.map(({ figure, summary }) => [
  figure.scenario,
  figure.name,
  `${fmt(summary.median)} ${figure.unit}`,
  `${fmt(summary.p10)}–${fmt(summary.p90)}`,
  figure.target ? `${figure.target.op} ${figure.target.value}` : '',
  summary.met === null ? '' : summary.met ? 'met' : 'MISSED',
]);
const head = ['scenario', 'figure', 'median', 'p10–p90', 'target', ''];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
process.stdout.write(
  `${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
);
process.stdout.write(
  `\n${machine.cpus} × ${machine.cpuModel}, ${machine.node}; ${Math.round((Date.now() - started) / 1000)} s; bench-results.json written\n`,
);

function round(x: number): number {
  return Number.isFinite(x) ? +x.toPrecision(4) : x;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(2);
}
