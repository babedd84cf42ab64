import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Lock {
  release(): void;
}

export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holder: number | null,
  ) {
    super(`${path} is held by process ${holder ?? 'unknown'}`);
    this.name = 'LockBusyError';
  }
}

/**
 * An exclusive lock file holding the owner's pid. A lock whose process is gone (killed with -9) is
 * stale and taken over, so a crash never blocks collection for good.
 */
export async function acquireLock(path: string, waitMs = 0, pollMs = 50): Promise<Lock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = tryLock(path);
    if (lock) return lock;
    const holder = readHolder(path);
    if (holder !== null && !alive(holder)) {
      breakStale(path, holder);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(path, holder);
    await sleep(pollMs);
  }
}

function tryLock(path: string): Lock | null {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }
  writeSync(fd, String(process.pid));
  closeSync(fd);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (readHolder(path) === process.pid) unlinkSync(path);
    },
  };
}

function readHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a dead owner's lock, unless someone else replaced it meanwhile. */
function breakStale(path: string, holder: number): void {
  if (readHolder(path) !== holder) return;
  try {
    unlinkSync(path);
  } catch {
    // Another process broke it first.
  }
}
