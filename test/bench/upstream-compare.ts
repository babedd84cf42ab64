import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { generateTappsProject, PRESETS } from '../generators/tapps-project.ts';
import { canaries, SHARED_FIXTURES } from '../shared-fixtures.ts';
import { percentile } from './figure.ts';

/**
 * Side by side with the framework's own `tapps-agents learning export` (Python), on the same
 * `.tapps-agents/` folder: the shared fixture, and a generated one with ≥200,000 records. Runs the two
 * exporters in alternation and reports the whole-process time ratio, output sizes, the sections that
 * carry data and the canaries found in each output. Needs TAPPS_AGENTS_PYTHON=/path/to/python with
 * tapps-agents installed; without it, says so and skips.
 *   TAPPS_AGENTS_PYTHON=~/.venv/bin/python npx tsx test/bench/upstream-compare.ts [runs]
 */
const BIN = fileURLToPath(new URL('../../dist/lib/cli/bin.js', import.meta.url));

export interface Side {
  ms: number[];
  bytes: number;
  sectionsWithData: string[];
  canariesFound: string[];
}

export function upstreamAvailable(env = process.env): string | null {
  const py = env.TAPPS_AGENTS_PYTHON;
  if (!py) return null;
  const probe = spawnSync(
    py,
    ['-c', 'import tapps_agents, sys; sys.stdout.write(tapps_agents.__version__)'],
    { encoding: 'utf8' },
  );
  return probe.status === 0 ? probe.stdout.trim() : null;
}

function timed(cmd: string, args: string[], cwd: string): number {
  const t = process.hrtime.bigint();
  execFileSync(cmd, args, { cwd, stdio: 'ignore', env: { ...process.env, TAPPS_AGENTS_MODE: 'headless' } });
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function newestFile(dir: string, prefix: string): string {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix));
  files.sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs);
  return join(dir, files[0] as string);
}

function readText(path: string): string {
  const raw = readFileSync(path);
  return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
}

function sectionsWithData(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'metadata' || k === 'export_metadata' || k === 'schemaVersion') continue;
    if (v && typeof v === 'object') {
      const s = v as Record<string, unknown>;
      const items = Array.isArray(s.items) ? s.items : Array.isArray(s.capabilities) ? s.capabilities : null;
      const empty = items
        ? items.length === 0
        : Object.values(s).every(
            (x) =>
              !x ||
              (typeof x === 'number' && x === 0) ||
              (typeof x === 'object' && Object.keys(x).length === 0),
          );
      if (!empty) out.push(k);
    }
  }
  return out;
}

export function compare(
  projectDir: string,
  python: string,
  runs: number,
  secrets: string[],
): { ours: Side; theirs: Side } {
  const ours: Side = { ms: [], bytes: 0, sectionsWithData: [], canariesFound: [] };
  const theirs: Side = { ms: [], bytes: 0, sectionsWithData: [], canariesFound: [] };
  const exportsDir = join(projectDir, '.tapps-agents', 'exports');
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither side always runs on a warm cache.
    const order = i % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours'];
    for (const who of order) {
      if (who === 'ours') {
        rmSync(join(projectDir, '.tapps-agents', 'learning-plugin'), { recursive: true, force: true });
        ours.ms.push(
          timed(process.execPath, [BIN, 'learning', 'collect'], projectDir) +
            timed(process.execPath, [BIN, 'learning', 'export', '--gzip'], projectDir),
        );
      } else {
        theirs.ms.push(
          timed(python, ['-m', 'tapps_agents.cli', 'learning', 'export', '--yes', '--compress'], projectDir),
        );
      }
    }
  }
  for (const [side, prefix] of [
    [ours, 'learning-2'],
    [theirs, 'learning-export-'],
  ] as const) {
    const file = newestFile(exportsDir, prefix);
    const text = readText(file);
    side.bytes = statSync(file).size;
    side.sectionsWithData = sectionsWithData(JSON.parse(text));
    side.canariesFound = secrets.filter(
      (c) => text.includes(c) || text.includes(JSON.stringify(c).slice(1, -1)),
    );
  }
  return { ours, theirs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const version = upstreamAvailable();
  if (!version) {
    process.stderr.write(
      'upstream-compare: skipped: set TAPPS_AGENTS_PYTHON to a Python with tapps-agents installed to compare with the framework exporter\n',
    );
    process.exit(0);
  }
  if (!existsSync(BIN)) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  const runs = Number(process.argv[2] ?? 5);
  const cases: { name: string; dir: string; secrets: string[] }[] = [];
  if (SHARED_FIXTURES) {
    const dir = mkdtempSync(join(tmpdir(), 'cmp-fixture-'));
    cpSync(join(SHARED_FIXTURES, 'tapps-small', '.tapps-agents'), join(dir, '.tapps-agents'), {
      recursive: true,
    });
    cases.push({ name: 'tapps-small fixture', dir, secrets: canaries() });
  }
  const big = mkdtempSync(join(tmpdir(), 'cmp-large-'));
  const generated = generateTappsProject(big, { ...PRESETS.large, workflows: 5_000 });
  cases.push({ name: 'generated (≥200,000 records)', dir: big, secrets: generated.canaries });
  for (const c of cases) {
    const { ours, theirs } = compare(c.dir, process.env.TAPPS_AGENTS_PYTHON as string, runs, c.secrets);
    const med = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        0.5,
      );
    process.stdout.write(
      `${c.name} (tapps-agents ${version}, ${runs} alternating runs)\n` +
        `  whole-process time  ours ${med(ours.ms).toFixed(0)} ms (collect + export)  theirs ${med(theirs.ms).toFixed(0)} ms  ratio ${(med(theirs.ms) / med(ours.ms)).toFixed(2)}×\n` +
        `  output size         ours ${ours.bytes} B  theirs ${theirs.bytes} B\n` +
        `  sections with data  ours ${ours.sectionsWithData.join(', ') || '-'}  theirs ${theirs.sectionsWithData.join(', ') || '-'}\n` +
        `  canaries found      ours ${ours.canariesFound.length}  theirs ${theirs.canariesFound.length} ${theirs.canariesFound.length ? `(${theirs.canariesFound.length} leaked)` : ''}\n`,
    );
  }
}
