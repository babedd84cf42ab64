import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
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
    if (holder !== null && !processAlive(holder)) {
      if (breakStale(path, holder)) continue;
    } else if (holder === null && abandonedEmpty(path)) {
      // Killed between creating the file and writing its pid: an empty lock nobody will release.
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

/** Whether process `pid` exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a dead owner's lock, unless someone else replaced it meanwhile. Two waiters can find the
 * same dead owner; without the `.break` guard one could check, the other remove the file and take
 * the lock, and the first then remove that new lock: two collectors at once, counting twice.
 * Returns false when another waiter is breaking it (try again after a pause).
 */
function breakStale(path: string, holder: number): boolean {
  const guardPath = `${path}.break`;
  let guard = tryLock(guardPath);
  if (!guard) {
    const g = readHolder(guardPath);
    if (g !== null && !processAlive(g)) unlinkQuietly(guardPath);
    else if (g === null) abandonedEmpty(guardPath);
    guard = tryLock(guardPath);
    if (!guard) return false;
  }
  try {
    if (readHolder(path) === holder) unlinkSync(path);
  } catch {
    // Gone already.
  } finally {
    guard.release();
  }
  return true;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}

/** A lock file without a pid is written within microseconds by its owner; one this old is orphaned. */
const EMPTY_LOCK_STALE_MS = 2000;

function abandonedEmpty(path: string): boolean {
  try {
    if (Date.now() - statSync(path).mtimeMs < EMPTY_LOCK_STALE_MS || readHolder(path) !== null) return false;
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}
