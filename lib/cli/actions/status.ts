import type { CommandContext } from '../../../hooks/command-registry.ts';
import { STORES, type StoreName } from '../../../schema/stores.ts';
import { lastQuickCheck } from '../../collect/fingerprint-file.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { isoDay } from '../../privacy/day.ts';
import { loadState, stateFileSize } from '../../rollup/state-file.ts';
import { EXIT, say } from '../io.ts';

/** What `learning status` does; its options and help are in ../commands/status.ts. */
export async function runStatus(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const { state, setAside } = loadState(rt.projectRoot);
  const r = state.rollup;
  const status = {
    projectRoot: rt.projectRoot,
    enabled: rt.options.enabled,
    eventsSeen: state.eventsSeen,
    duplicates: state.duplicates,
    rejected: state.rejected,
    tasks: r.tasks,
    workflowRuns: r.workflowRuns,
    consultations: r.consultationCount,
    capabilities: Object.keys(r.capabilities).length,
    workflowTypes: Object.keys(r.workflows).length,
    expertDomains: Object.keys(r.experts).length,
    firstDay: r.firstDay === null ? null : isoDay(r.firstDay),
    lastDay: r.lastDay === null ? null : isoDay(r.lastDay),
    lastUpdate: state.eventsSeen > 0 || state.lastCollectAt ? state.updatedAt : null,
    lastCollectAt: state.lastCollectAt,
    /** A later `learning collect` that found nothing new without collecting (the quick check). */
    lastCheckAt: lastQuickCheck(rt.projectRoot, state.lastCollectAt),
    stateBytes: stateFileSize(rt.projectRoot),
    sources: state.sources,
    corruptStateSetAside: setAside,
  };
  if (ctx.options.json) {
    ctx.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return EXIT.ok;
  }
  say(ctx, `learning plugin ${status.enabled ? 'enabled' : 'disabled'} in ${status.projectRoot}`);
  if (setAside)
    say(ctx, `  the state file was unreadable and was moved to ${setAside}; run learning collect to rebuild`);
  say(
    ctx,
    `  events seen ${status.eventsSeen} (${status.duplicates} duplicates, ${status.rejected} rejected); ` +
      `tasks ${status.tasks}, workflows ${status.workflowRuns}, consultations ${status.consultations}`,
  );
  say(
    ctx,
    `  capabilities ${status.capabilities}, workflow types ${status.workflowTypes}, expert domains ${status.expertDomains}`,
  );
  say(
    ctx,
    `  days ${status.firstDay ?? '-'} .. ${status.lastDay ?? '-'}; last update ${status.lastUpdate ?? 'never'}`,
  );
  if (status.lastCheckAt) say(ctx, `  last checked ${status.lastCheckAt}: nothing new since the last update`);
  say(ctx, `  state file ${status.stateBytes} bytes`);
  const stores = Object.entries(state.sources);
  if (stores.length === 0) say(ctx, '  no store collected yet (run: tapps-agents learning collect)');
  for (const [name, s] of stores) {
    // LIVE/DORMANT is what a stock install does with the store; `no files` says it is missing here.
    const kind = Object.hasOwn(STORES, name) ? STORES[name as StoreName].status : 'store';
    const state = s.present ? kind : `${kind}, no files`;
    say(
      ctx,
      `  ${name} (${state}): ${s.records} records in ${s.files} files, ${s.emitted} events, ${s.skipped} skipped`,
    );
    for (const p of s.problems) say(ctx, `    skipped ${p.path}${p.line ? `:${p.line}` : ''}: ${p.reason}`);
  }
  return EXIT.ok;
}
