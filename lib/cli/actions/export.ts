import { relative, resolve } from 'node:path';
import { SECTION_NAMES, type SectionName } from '../../../config/schema.ts';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { GateRefusedError, produceExport } from '../../export/produce.ts';
import { extensionFor } from '../../export/serialize.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { formatGateRefusal } from '../../privacy/gate.ts';
import { isMatchable } from '../../privacy/identity-match.ts';
import { loadState } from '../../rollup/state-file.ts';
import { defaultExportPath, writeNew } from '../commands/export.ts';
import { confirm, EXIT, say } from '../io.ts';

/** What `learning export` does; its options and help are in ../commands/export.ts. */
export async function runExport(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const exclude = parseSections(ctx.options.exclude);
  if (exclude instanceof Error) {
    say(ctx, `learning export: --exclude: ${exclude.message}`);
    return EXIT.usage;
  }
  const k = ctx.options.k === undefined ? undefined : Number(ctx.options.k);
  if (k !== undefined && !(Number.isInteger(k) && k >= 1 && k <= 1000)) {
    say(ctx, 'learning export: --k must be a whole number from 1 to 1000');
    return EXIT.usage;
  }
  const epsilon = ctx.options.epsilon === undefined ? undefined : Number(ctx.options.epsilon);
  if (epsilon !== undefined && !(Number.isFinite(epsilon) && epsilon > 0 && epsilon <= 100)) {
    say(ctx, 'learning export: --epsilon must be a number above 0 and at most 100 (e.g. --epsilon 1)');
    return EXIT.usage;
  }
  const raw = ctx.options.anonymize === false;
  if (raw && (k !== undefined || epsilon !== undefined)) {
    say(
      ctx,
      'learning export: --k and --epsilon have no effect on a raw export (--no-anonymize skips both); drop them',
    );
    return EXIT.usage;
  }
  if (!raw && ctx.options.yes === true)
    say(ctx, 'learning export: --yes only applies to a raw export (--no-anonymize); ignored');
  if (raw && ctx.options.yes !== true && !(await confirm(ctx, RAW_QUESTION))) {
    say(
      ctx,
      'learning export: raw export not confirmed; nothing written (pass --yes when no terminal can answer)',
    );
    return EXIT.consent;
  }
  const format = ctx.options.format === 'msgpack' ? 'msgpack' : 'json';
  const serialize = {
    format,
    gzip: ctx.options.gzip === true,
    pretty: ctx.options.pretty === true,
  } as const;
  if (!raw)
    for (const line of unmatchableTerms(rt.options.sensitiveTerms)) say(ctx, `learning export: ${line}`);
  const { state } = loadState(rt.projectRoot);
  let produced: Awaited<ReturnType<typeof produceExport>>;
  try {
    produced = await produceExport(state, {
      ...serialize,
      now: new Date(),
      projectId: rt.recorder.projectId(),
      options: rt.options,
      exclude,
      k,
      ...(epsilon === undefined ? {} : { epsilon }),
      raw,
      projectRoot: rt.projectRoot,
    });
  } catch (error) {
    if (error instanceof GateRefusedError) {
      say(ctx, formatGateRefusal(error.report));
      return EXIT.gate;
    }
    throw error;
  }
  const out = ctx.options.out as string | undefined;
  if (out === '-') {
    ctx.stdout.write(produced.bytes);
  } else {
    const path = out
      ? resolve(ctx.cwd, out)
      : defaultExportPath(
          rt.projectRoot,
          produced.doc.metadata.createdAt,
          produced.doc.metadata.exportId,
          extensionFor(serialize),
          raw ? 'learning-raw' : 'learning',
        );
    let written: string;
    try {
      written = writeNew(path, produced.bytes);
    } catch (error) {
      say(ctx, `learning export: cannot write ${path}: ${(error as Error).message}`);
      return EXIT.io;
    }
    say(
      ctx,
      `wrote ${relative(ctx.cwd, written) || written} (${produced.bytes.byteLength} bytes, sha256 ${produced.sha256})`,
    );
  }
  const d = produced.doc;
  const p = d.metadata.privacy;
  say(
    ctx,
    raw
      ? `exportId ${d.metadata.exportId}: RAW export (no k-threshold, no noise, not gated), ${d.capabilities.items.length} ` +
          `capabilities, ${d.totals.tasks} tasks; for local debugging only: submit and the hub refuse it`
      : `exportId ${d.metadata.exportId}: ${d.capabilities.items.length} capabilities, ${d.totals.tasks} tasks, ` +
          `${p.suppressedCells} cells below k=${p.k} suppressed, ` +
          `${p.epsilon === null ? 'no noise' : `Laplace noise with epsilon ${p.epsilon} on ${p.redaction.rules['noise/laplace'] ?? 0} values`}, ` +
          `${produced.gate.scannedStrings} strings passed the privacy gate`,
  );
  return EXIT.ok;
}

export function parseSections(value: unknown): SectionName[] | Error {
  if (value === undefined) return [];
  const names = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(SECTION_NAMES as readonly string[]).includes(n));
  if (bad.length > 0)
    return new Error(`unknown section(s) ${bad.join(', ')}; choose from ${SECTION_NAMES.join(', ')}`);
  return names as SectionName[];
}

/**
 * Declared terms the gate cannot use: framework and generic words (`review`, `api`) would refuse
 * every export, so the matcher skips them. Say so by position, never by value.
 */
export function unmatchableTerms(terms: readonly string[]): string[] {
  return terms.flatMap((term, i) =>
    isMatchable(term)
      ? []
      : [
          `learning.sensitiveTerms[${i}] is a framework or generic word (or has too few letters) and cannot be matched; ignored`,
        ],
  );
}

const RAW_QUESTION =
  'Write a RAW export? It skips the k-threshold (cells of fewer than k runs are kept), the Laplace noise and ' +
  'the privacy gate. Names stay pseudonyms (the rollups never held more); the file is marked raw and can never ' +
  'be submitted.';
