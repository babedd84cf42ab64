import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each node:test file runs in its own process, and temp dirs made with mkdtempSync were left behind
// in /tmp by the thousand: this one records them and removes them all when the process exits.
const made: string[] = [];
let registered = false;

/** A fresh directory `<tmpdir>/<prefix>XXXXXX`, removed when the test process exits. */
export function tempDir(prefix: string): string {
  if (!registered) process.once('exit', removeAll);
  registered = true;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function removeAll(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: a dir that cannot be removed must not fail the run.
    }
  }
}
