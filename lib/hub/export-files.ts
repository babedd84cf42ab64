import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAX_DOCUMENT_BYTES } from '../export/decode.ts';

/** Files a folder argument contributes: what `learning export` writes. */
const EXPORT_FILE = /\.(?:json|msgpack|mpk)(?:\.gz)?$/i;
const MAX_DEPTH = 4;

export interface ExportFile {
  path: string;
  bytes?: Uint8Array;
  /** Why the file could not be read. */
  error?: string;
}

/**
 * The files named on the command line, and the export files inside named folders (recursively, a
 * few levels, sorted, hidden entries skipped). A path that does not exist is reported, not fatal.
 */
export function listExportFiles(
  args: readonly string[],
  cwd: string,
): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        if (depth < MAX_DEPTH) walk(p, depth + 1);
      } else if (st.isFile() && EXPORT_FILE.test(name)) files.push(p);
    }
  };
  for (const arg of args) {
    const p = resolve(cwd, arg);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) missing.push(arg);
    else if (st.isDirectory()) walk(p, 0);
    else files.push(p);
  }
  return { files: [...new Set(files)], missing };
}

/** Reads a file unless it is far too large to be an export (nothing is read then). */
export function readExportFile(path: string, maxBytes = MAX_DOCUMENT_BYTES): ExportFile {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) return { path, error: `larger than ${maxBytes} bytes` };
    return { path, bytes: readFileSync(path) };
  } catch (error) {
    return { path, error: (error as Error).message };
  }
}
