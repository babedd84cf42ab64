import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { atomicWriteFile } from '../../files/atomic-write.ts';
import { listExportFiles, readExportFile } from '../../hub/export-files.ts';
import type { Selection } from '../../hub/ledger.ts';
import { aggregateFiles } from '../../hub/offline.ts';
import { renderAggregatePage } from '../../hub/page.ts';
import { parseSelection } from '../../hub/query.ts';
import { Rejection } from '../../hub/rejection.ts';
import { renderReleaseSummary } from '../../hub/release-summary.ts';
import { gate } from '../../privacy/gate.ts';
import { EXIT, say } from '../io.ts';

export const AGGREGATE_OUTPUTS = ['aggregate.json', 'release-summary.md', 'aggregate.html'] as const;

/** What `learning aggregate` does; its options and help are in ../commands/aggregate.ts. */
export async function runAggregate(ctx: CommandContext): Promise<number> {
  const k = Number(ctx.options.k);
  if (!(Number.isInteger(k) && k >= 1 && k <= 1000)) {
    say(ctx, 'learning aggregate: --k must be a whole number from 1 to 1000');
    return EXIT.usage;
  }
  let selection: Selection;
  try {
    selection = parseSelection({
      framework: ctx.options.framework as string | undefined,
      since: ctx.options.since as string | undefined,
      until: ctx.options.until as string | undefined,
    });
  } catch (error) {
    if (!(error instanceof Rejection)) throw error;
    for (const p of error.problems)
      say(ctx, `learning aggregate: --${p.pointer.replace('/query/', '')}: ${p.message}`);
    return EXIT.usage;
  }
  const out = ctx.options.out as string | undefined;
  const outDir = out === '-' ? null : resolve(ctx.cwd, out ?? '.');
  if (outDir && ctx.options.force !== true) {
    const existing = AGGREGATE_OUTPUTS.map((f) => join(outDir, f)).filter((p) => existsSync(p));
    if (existing.length > 0) {
      say(
        ctx,
        `learning aggregate: ${existing.map((p) => relative(ctx.cwd, p) || p).join(', ')} already exist${existing.length === 1 ? 's' : ''}; ` +
          'nothing was written. Pass --force to replace, or --out to another folder.',
      );
      return EXIT.usage;
    }
  }

  const args = (ctx.args[0] as string[] | undefined) ?? [];
  const { files, missing } = listExportFiles(args, ctx.cwd);
  for (const m of missing) say(ctx, `learning aggregate: ${m}: no such file or folder`);
  if (files.length === 0) {
    say(
      ctx,
      'learning aggregate: no export files found (looked for *.json, *.msgpack, optionally .gz); nothing to aggregate',
    );
    return missing.length > 0 ? EXIT.io : EXIT.failed;
  }
  const result = await aggregateFiles(
    files.map((f) => readExportFile(f)),
    { k, now: new Date(), selection, gate: (doc) => gate(doc) },
  );
  const shown = (p: string) => relative(ctx.cwd, p) || p;
  for (const bad of result.invalid) {
    say(
      ctx,
      `${shown(bad.path)}: skipped (${bad.problems.length} problem${bad.problems.length === 1 ? '' : 's'})`,
    );
    for (const p of bad.problems.slice(0, 20)) say(ctx, `  ${p.pointer || '/'}: ${p.message}`);
    if (bad.problems.length > 20) say(ctx, `  … and ${bad.problems.length - 20} more`);
  }
  for (const d of result.duplicates)
    say(
      ctx,
      `${shown(d.path)}: same export as ${shown(d.sameAs)} (exportId ${d.exportId.slice(0, 12)}…), counted once`,
    );
  if (result.used === 0) {
    say(
      ctx,
      `learning aggregate: none of the ${files.length} file(s) is a valid export; nothing to aggregate`,
    );
    return EXIT.failed;
  }
  const r = result.report;
  const json = `${JSON.stringify(r, null, 2)}\n`;
  if (outDir === null) ctx.stdout.write(json);
  else {
    try {
      mkdirSync(outDir, { recursive: true });
      atomicWriteFile(join(outDir, 'aggregate.json'), json);
      atomicWriteFile(join(outDir, 'release-summary.md'), renderReleaseSummary(r));
      atomicWriteFile(
        join(outDir, 'aggregate.html'),
        renderAggregatePage(r, { title: 'TappsCodingAgents learning aggregate', now: new Date() }),
      );
    } catch (error) {
      say(ctx, `learning aggregate: cannot write into ${outDir}: ${(error as Error).message}`);
      return EXIT.io;
    }
    say(ctx, `wrote ${AGGREGATE_OUTPUTS.map((f) => shown(join(outDir, f))).join(', ')}`);
  }
  say(
    ctx,
    `${result.used} export(s) from ${r.projects} project(s) merged (${result.invalid.length} skipped, ${result.duplicates.length} duplicate(s)); ` +
      `k = ${k}: ${r.withheld.cells} cell(s) withheld; ${r.release.regressions.length} regression(s) between framework versions` +
      (r.published ? '' : `; fewer than ${k} projects, so nothing is published`),
  );
  return EXIT.ok;
}
