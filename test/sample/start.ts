import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../lib/cli/main.ts';
import { generateTappsProject, PRESETS } from '../generators/tapps-project.ts';
import { totals } from '../generators/truth.ts';

/**
 * `npm start`: the built-in sample. Writes a realistic TappsCodingAgents project (60 days of
 * workflows, markers, event bus, experts, epics, builds, dormant stores) into ./sample-project,
 * collects it through the host hooks, exports it and validates the export.
 */
const root = resolve(process.argv[2] ?? 'sample-project');
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: root,
  self: '',
};

async function step(title: string, argv: string[]): Promise<void> {
  process.stderr.write(`\n$ tapps-agents ${argv.join(' ')}    # ${title}\n`);
  const code = await main(argv, io);
  if (code !== 0) {
    process.stderr.write(`npm start: "${argv.join(' ')}" exited ${code}\n`);
    process.exit(code);
  }
}

if (existsSync(root)) rmSync(root, { recursive: true, force: true });
mkdirSync(join(root, '.git'), { recursive: true });
// As if the package were installed there: `npx tapps-agents …` inside the sample runs this build.
const bin = join(root, 'node_modules', '.bin');
mkdirSync(bin, { recursive: true });
symlinkSync(
  relative(bin, fileURLToPath(new URL('../../lib/cli/bin.js', import.meta.url))),
  join(bin, 'tapps-agents'),
);
const started = Date.now();
// The sample's naive local times are written in UTC, and the project config says so.
// The history ends today, so the dashboard's "stalled" and "last record" read as they would for a user.
const start = new Date(Date.now() - PRESETS.sample.days * 86_400_000);
start.setUTCHours(8, 0, 0, 0);
const generated = generateTappsProject(root, {
  ...PRESETS.sample,
  timeZone: 'UTC',
  start: start.toISOString(),
});
writeFileSync(
  join(root, 'tapps-agents.config.json'),
  `${JSON.stringify({ learning: { timeZone: 'UTC' } }, null, 2)}\n`,
);
const t = totals(generated.truth);
process.stderr.write(
  `generated a sample TappsCodingAgents project in ${relative(process.cwd(), root) || '.'}: ${t.tasks} tasks, ` +
    `${t.workflows} workflow runs, ${t.consultations} expert answers over ${PRESETS.sample.days} days, ` +
    `${(generated.bytes / 1024 / 1024).toFixed(1)} MB of stores (${Date.now() - started} ms)\n`,
);

await step('read the stores into anonymized rollups', ['learning', 'collect']);
await step('what the plugin holds', ['learning', 'status']);
await step('is self-improvement working?', ['learning', 'dashboard']);
await step('write an anonymized export', ['learning', 'export', '--gzip']);
const exportsDir = join(root, '.tapps-agents', 'exports');
const latest = readdirSync(exportsDir)
  .filter((f) => f.startsWith('learning-'))
  .sort()
  .at(-1) as string;
await step('check it against the v1 schema', [
  'learning',
  'validate',
  join('.tapps-agents', 'exports', latest),
]);
process.stderr.write(
  `\nDone. Try it yourself:\n  cd ${relative(process.cwd(), root) || '.'}\n  npx tapps-agents learning dashboard --html dashboard.html\n` +
    '  npx tapps-agents learning submit --dry-run --to file:bundle\n',
);
