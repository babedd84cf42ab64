import { mkdirSync, openSync, closeSync, writeSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SECTION_NAMES, type SectionName } from '../../../config/schema.ts';
import type { CommandSpec } from '../../../hooks/command-registry.ts';
import { GateRefusedError, produceExport } from '../../export/produce.ts';
import { extensionFor } from '../../export/serialize.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { formatGateRefusal } from '../../privacy/gate.ts';
import { loadState } from '../../rollup/state-file.ts';
import { EXIT, say } from '../io.ts';

export function exportCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'export'],
    summary: 'write an anonymized export of the rollups (JSON or MessagePack, optionally gzip)',
    description:
      'Serializes the precomputed rollups through the privacy gate and the v1 schema. Without --out the file\n' +
      'goes to .tapps-agents/exports/learning-<UTC time>-<id>.json[.gz] and is never overwritten; --out -\n' +
      'writes the bytes to stdout.',
    example: 'tapps-agents learning export --gzip',
    options: [
      { flags: '--format <format>', description: 'json or msgpack', default: 'json', choices: ['json', 'msgpack'] },
      { flags: '--gzip', description: 'gzip-compress the output' },
      { flags: '--out <file>', description: 'output file, or - for stdout' },
      { flags: '--pretty', description: 'indent JSON for reading' },
      { flags: '--exclude <sections>', description: `comma-separated sections to leave out (${SECTION_NAMES.join(', ')})` },
      { flags: '--k <n>', description: 'raise the minimum runs behind an exported cell for this export' },
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
      const format = ctx.options.format === 'msgpack' ? 'msgpack' : 'json';
      const serialize = { format, gzip: ctx.options.gzip === true, pretty: ctx.options.pretty === true } as const;
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
          : defaultExportPath(rt.projectRoot, produced.doc.metadata.createdAt, produced.doc.metadata.exportId, extensionFor(serialize));
        let written: string;
        try {
          written = writeNew(path, produced.bytes);
        } catch (error) {
          say(ctx, `learning export: cannot write ${path}: ${(error as Error).message}`);
          return EXIT.io;
        }
        say(ctx, `wrote ${relative(ctx.cwd, written) || written} (${produced.bytes.byteLength} bytes, sha256 ${produced.sha256})`);
      }
      const d = produced.doc;
      say(
        ctx,
        `exportId ${d.metadata.exportId}: ${d.capabilities.items.length} capabilities, ${d.totals.tasks} tasks, ` +
          `${d.metadata.privacy.suppressedCells} cells below k=${d.metadata.privacy.k} suppressed, ` +
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
  if (bad.length > 0) return new Error(`unknown section(s) ${bad.join(', ')}; choose from ${SECTION_NAMES.join(', ')}`);
  return names as SectionName[];
}

/** `.tapps-agents/exports/learning-20261124T030000Z-3fa85f64.json.gz`: UTC time and the id's start. */
export function defaultExportPath(projectRoot: string, createdAt: string, exportId: string, ext: string): string {
  const stamp = createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(projectRoot, '.tapps-agents', 'exports', `learning-${stamp}-${exportId.slice(0, 8)}${ext}`);
}

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
