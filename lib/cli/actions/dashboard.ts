import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import * as v from 'valibot';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { Dashboard } from '../../../schema/dashboard.ts';
import type { State } from '../../../schema/state.ts';
import { STORE_NAMES } from '../../../schema/stores.ts';
import { resolveCapability } from '../../dashboard/capability-name.ts';
import { readHooksStatus } from '../../dashboard/collector-hook.ts';
import { computeDashboard } from '../../dashboard/compute.ts';
import { gateDashboard } from '../../dashboard/gate-output.ts';
import { renderDashboardHtml } from '../../dashboard/render-html.ts';
import { renderTerminal } from '../../dashboard/render-terminal.ts';
import { toProblems } from '../../export/validate.ts';
import { atomicWriteFile } from '../../files/atomic-write.ts';
import { pluginFile } from '../../files/plugin-dir.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { formatGateRefusal, machineIdentity } from '../../privacy/gate.ts';
import { loadState } from '../../rollup/state-file.ts';
import { colorEnabled, EXIT, say } from '../io.ts';

export const HTML_TITLE = 'tapps-agents learning dashboard';

/** What `learning dashboard` does; its options and help are in ../commands/dashboard.ts. */
export async function runDashboard(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const since = parseSince(ctx.options.since);
  if (since instanceof Error) {
    say(ctx, `learning dashboard: --since: ${since.message}`);
    return EXIT.usage;
  }
  let state: State;
  try {
    const loaded = loadState(rt.projectRoot);
    state = loaded.state;
    if (loaded.setAside)
      say(
        ctx,
        `learning dashboard: the state file was unreadable and was moved to ${loaded.setAside}; run learning collect to rebuild`,
      );
  } catch (error) {
    say(ctx, `learning dashboard: cannot read the plugin state: ${(error as Error).message}`);
    return EXIT.io;
  }
  const known = Object.keys(state.rollup.capabilities).sort();
  let capability: string | null = null;
  if (typeof ctx.options.capability === 'string') {
    capability = resolveCapability(ctx.options.capability, known, keyOf(rt));
    if (capability === null) {
      say(ctx, unknownCapability(ctx.options.capability, known));
      return EXIT.usage;
    }
  }
  const model = computeDashboard(state.rollup, {
    now: new Date(),
    capability,
    since,
    health: {
      sources: state.sources,
      hooks: readHooksStatus(rt.projectRoot),
      lastCollectAt: state.lastCollectAt,
      eventsSeen: state.eventsSeen,
      duplicates: state.duplicates,
      rejected: state.rejected,
      knownStores: STORE_NAMES.map((name) => ({ name })),
    },
  });
  const parsed = v.safeParse(Dashboard, model);
  if (!parsed.success) {
    const where = toProblems(parsed.issues)
      .map((p) => `${p.pointer}: ${p.message}`)
      .join('; ');
    say(ctx, `learning dashboard: internal error: the dashboard does not match its schema (${where})`);
    return EXIT.failed;
  }
  const identity = await machineIdentity(rt.projectRoot);
  const html = typeof ctx.options.html === 'string' ? ctx.options.html : null;
  const json = ctx.options.json === true;

  if (json) {
    const bytes = Buffer.from(`${JSON.stringify(model, null, 2)}\n`);
    const report = await gateDashboard({ model, json: bytes }, { identity });
    if (!report.ok) return refuse(ctx, report);
    ctx.stdout.write(bytes);
  }
  if (html !== null) {
    const path = resolve(ctx.cwd, html);
    const page = renderDashboardHtml(model, { title: HTML_TITLE });
    const embedded = Buffer.from(JSON.stringify(model));
    const report = await gateDashboard({ model, json: embedded, title: HTML_TITLE }, { identity });
    if (!report.ok) return refuse(ctx, report);
    try {
      atomicWriteFile(path, page);
    } catch (error) {
      say(
        ctx,
        `learning dashboard: cannot write ${path}: ${(error as Error).message}; choose a writable folder with --html`,
      );
      return EXIT.io;
    }
    say(
      ctx,
      `wrote ${relative(ctx.cwd, path) || path} (${page.length} bytes; open it in a browser, it needs no network)`,
    );
  }
  if (!json) {
    const color = colorEnabled(ctx, ctx.stderr);
    const text = html !== null ? headline(model) : renderTerminal(model, { color });
    const report = await gateDashboard(
      { model, text: renderTerminal(model, { color: false }) },
      { identity },
    );
    if (!report.ok) return refuse(ctx, report);
    if (html !== null) say(ctx, text);
    else ctx.stderr.write(text);
  }
  return EXIT.ok;
}

/** `--since 2026-10-01` → its UTC day number; the date must exist. */
export function parseSince(value: unknown): number | null | Error {
  if (value === undefined) return null;
  const s = String(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== s) {
    return new Error(`expected a date YYYY-MM-DD (UTC), for example 2026-10-01; got "${s.slice(0, 40)}"`);
  }
  return Math.floor(ms / 86_400_000);
}

function unknownCapability(asked: string, known: readonly string[]): string {
  const what = `learning dashboard: --capability: no capability "${asked.slice(0, 80)}" in this project's rollups`;
  if (known.length === 0) return `${what}; none is recorded yet (run: tapps-agents learning collect)`;
  return `${what}. Known capabilities (${known.length}):\n${known.map((k) => `  ${k}`).join('\n')}`;
}

/** The project's key, only when it already exists: a read-only command must not create one. */
function keyOf(rt: LearningRuntime) {
  return existsSync(pluginFile(rt.projectRoot, 'secret')) ? rt.recorder.pseudonymize : null;
}

function headline(model: Dashboard): string {
  return renderTerminal(model, { color: false }).split('\n\n')[0] ?? '';
}

function refuse(ctx: CommandContext, report: Parameters<typeof formatGateRefusal>[0]): number {
  say(
    ctx,
    'learning dashboard: the privacy gate refused the output (pointers into the --json model; /terminal/N is a line of the text):',
  );
  say(ctx, formatGateRefusal(report));
  return EXIT.gate;
}
