import { existsSync, readFileSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from '../files/atomic-write.ts';
import { MAX_HOOKS_YAML_BYTES } from './parse.ts';
import type { HooksYamlProblem } from './problem.ts';

export function hooksYamlPath(projectRoot: string): string {
  return join(projectRoot, '.tapps-agents', 'hooks.yaml');
}

export interface HooksFile {
  /** Where edits go: the target of a symlinked hooks.yaml. */
  path: string;
  /** null when there is no file. A leading byte-order mark is kept apart in `bom`. */
  text: string | null;
  bom: string;
  mode: number;
}

export class HooksFileError extends Error {
  constructor(
    message: string,
    readonly problem?: HooksYamlProblem,
  ) {
    super(message);
    this.name = 'HooksFileError';
  }
}

/** Reads hooks.yaml as the framework does (UTF-8), refusing bytes that are not UTF-8 or too many. */
export function readHooksFile(path: string): HooksFile {
  if (!existsSync(path)) return { path, text: null, bom: '', mode: 0o644 };
  const real = realpathSync(path);
  const st = statSync(real);
  if (!st.isFile()) throw new HooksFileError(`${path} is not a file`);
  if (st.size > MAX_HOOKS_YAML_BYTES)
    throw new HooksFileError(
      `${path} has ${st.size} bytes; a hooks.yaml this large is not edited (limit ${MAX_HOOKS_YAML_BYTES})`,
    );
  const bytes = readFileSync(real);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, bad).toString('latin1').split('\n').length;
    throw new HooksFileError(
      `${path}:${line}: not valid UTF-8 (byte ${bad}); the framework reads hooks.yaml as UTF-8`,
      {
        line,
        message: 'not valid UTF-8',
      },
    );
  }
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  return { path: real, text: text.slice(bom.length), bom, mode: st.mode & 0o777 };
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (a location hint). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const n =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || ((b[i + k] as number) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}

/** `hooks.yaml.bak-20260302T101500Z` beside the file, never overwriting an older backup. */
export function backupPath(path: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let candidate = `${path}.bak-${stamp}`;
  for (let i = 1; existsSync(candidate); i++) candidate = `${path}.bak-${stamp}-${i}`;
  return candidate;
}

/**
 * Writes the edited text: first a backup of the old file, then the new one atomically (temp file,
 * fsync, rename) with the old permissions. An empty result deletes the file (an empty hooks.yaml
 * and none mean the same to the framework). Refuses when the file changed since it was read.
 */
export function writeHooksFile(
  file: HooksFile,
  text: string,
  now = new Date(),
): { backup: string | null; deleted: boolean } {
  let backup: string | null = null;
  if (file.text !== null) {
    const current = readHooksFile(file.path);
    if (current.text !== file.text || current.bom !== file.bom)
      throw new HooksFileError(
        `${file.path} changed while it was being edited; nothing was written, run the command again`,
      );
    backup = backupPath(file.path, now);
    writeFileSync(backup, file.bom + file.text, { flag: 'wx', mode: file.mode });
  }
  if (text === '' && file.bom === '') {
    if (file.text !== null) unlinkSync(file.path);
    return { backup, deleted: file.text !== null };
  }
  atomicWriteFile(file.path, file.bom + text, file.mode);
  return { backup, deleted: false };
}
