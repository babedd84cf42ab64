import { closeSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SECTION_NAMES, type SectionName } from '../../../config/schema.ts';
import type { CommandSpec } from '../../../hooks/command-registry.ts';
import { GateRefusedError, produceExport } from '../../export/produce.ts';
import { extensionFor } from '../../export/serialize.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { formatGateRefusal } from '../../privacy/gate.ts';
import { isMatchable } from '../../privacy/identity-match.ts';
import { loadState } from '../../rollup/state-file.ts';
import { confirm, EXIT, say } from '../io.ts';

export function exportCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'export'],
    summary: 'write an anonymized export of the rollups (JSON or MessagePack, optionally gzip)',
    description: [
      'Serializes the precomputed rollups through the privacy steps (k-threshold, optional Laplace noise, the ' +
        'privacy gate) and the v1 schema. Without --out the file goes to ' +
        '.tapps-agents/exports/learning-<UTC time>-<id>.json[.gz] and is never overwritten; --out - writes the ' +
        'bytes to stdout.',
      RAW_EXPLAINED,
    ].join('\n\n'),
    example: 'tapps-agents learning export --gzip',
    options: [
      {
        flags: '--format <format>',
        description: 'json or msgpack',
        default: 'json',
        choices: ['json', 'msgpack'],
      },
      { flags: '--gzip', description: 'gzip-compress the output' },
      { flags: '--out <file>', description: 'output file, or - for stdout' },
      { flags: '--pretty', description: 'indent JSON for reading' },
      {
        flags: '--exclude <sections>',
        description: `comma-separated sections to leave out (${SECTION_NAMES.join(', ')})`,
      },
      { flags: '--k <n>', description: 'raise the minimum runs behind an exported cell for this export' },
      {
        flags: '--epsilon <e>',
        description:
          'add Laplace noise to every count (0 < e <= 100; smaller is noisier); with learning.epsilon set, the smaller applies',
      },
      {
        flags: '--no-anonymize',
        description:
          'raw export for local debugging: skips the k-threshold, the noise and the gate (names stay pseudonyms); asks first',
      },
      { flags: '--yes', description: 'do not ask before a raw export (--no-anonymize)' },
    ],
    async run(ctx) {
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
    },
  };
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

/** `.tapps-agents/exports/learning-20261124T030000Z-3fa85f64.json.gz`: UTC time and the id's start. */
export function defaultExportPath(
  projectRoot: string,
  createdAt: string,
  exportId: string,
  ext: string,
  prefix = 'learning',
): string {
  const stamp = createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(projectRoot, '.tapps-agents', 'exports', `${prefix}-${stamp}-${exportId.slice(0, 8)}${ext}`);
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

/**
 * What a raw export is, said the same way in --help and in the question. The rollups never held
 * names (only framework names and keyed pseudonyms), so there is nothing to "un-anonymize".
 */
export const RAW_EXPLAINED =
  '--no-anonymize writes a raw export for local debugging. It skips only the export-time privacy steps: the ' +
  'k-threshold (cells of fewer than k runs are kept), the Laplace noise and the privacy gate. It does NOT ' +
  'restore names, paths or messages: the rollups never held them (custom names are keyed pseudonyms). The ' +
  'file is marked raw ("metadata.raw": true); submit and the hub refuse it. It asks first; --yes does not.';

const RAW_QUESTION =
  'Write a RAW export? It skips the k-threshold (cells of fewer than k runs are kept), the Laplace noise and ' +
  'the privacy gate. Names stay pseudonyms (the rollups never held more); the file is marked raw and can never ' +
  'be submitted.';

/**
 * Creates the file, never replacing one: a second export in the same second gets `-2`, `-3`…
 * The exports folder gets a `.gitignore`, since the framework's own raw exports land there too.
 */
export function writeNew(path: string, bytes: Uint8Array): string {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  if (dir.endsWith(join('.tapps-agents', 'exports')) && !existsSync(join(dir, '.gitignore')))
    writeFileSync(join(dir, '.gitignore'), '*\n');
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? path : path.replace(/(\.[a-z]+(?:\.gz)?)$/, `-${n}$1`);
    let fd: number;
    try {
      fd = openSync(candidate, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && n < 1000) continue;
      throw error;
    }
    try {
      let off = 0;
      while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    } finally {
      closeSync(fd);
    }
    return candidate;
  }
}
