import { closeSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SECTION_NAMES } from '../../../config/schema.ts';
import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

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
      const { runExport } = await import('../actions/export.ts');
      return runExport(rt, ctx);
    },
  };
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
