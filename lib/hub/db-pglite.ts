import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Mutex, PGlite } from '@electric-sql/pglite';
import { acquireLock, type Lock, LockBusyError } from '../files/lock.ts';
import type { Db, Queryable } from './db.ts';
import { PgliteStatements } from './pglite-statements.ts';

/** Thrown when another process already serves this folder: two writers would corrupt it. */
export class DbBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DbBusyError';
  }
}

/**
 * PGlite in a folder. PGlite has no lock of its own, and two processes writing one data folder
 * corrupt it, so the folder gets a lock file (a dead owner's lock is taken over after a kill -9).
 * `dir` may be `memory://` for tests that need no files.
 */
export async function openPglite(dir: string): Promise<Db> {
  let lock: Lock | null = null;
  let dataDir = dir;
  if (dir !== 'memory://') {
    const root = resolve(dir);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    try {
      lock = await acquireLock(join(root, 'hub.lock'), 0);
    } catch (error) {
      if (error instanceof LockBusyError)
        throw new DbBusyError(
          `${root} is in use by process ${error.holder ?? 'unknown'}; stop that hub first, or use another --db folder`,
        );
      throw error;
    }
    dataDir = join(root, 'pgdata');
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const statements = new PgliteStatements(pg);
  // Prepared statements go through PGlite's wire protocol, which its transaction lock does not
  // guard: this lock keeps a statement from running inside another caller's open transaction.
  const txLock = new Mutex();
  const inTransaction = (tx: Pick<PGlite, 'exec'>): Queryable => ({
    query: <R>(sql: string, params: readonly unknown[] = []) =>
      pg.runExclusive(async () => ({ rows: await statements.run<R>(sql, params) })),
    async exec(sql: string) {
      await tx.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    location: dir === 'memory://' ? 'memory' : resolve(dir),
    query: <R>(sql: string, params: readonly unknown[] = []) =>
      txLock.runExclusive(() =>
        pg.runExclusive(async () => ({ rows: await statements.run<R>(sql, params) })),
      ),
    exec: (sql: string) =>
      txLock.runExclusive(async () => {
        await pg.exec(sql);
      }),
    transaction: (fn) => txLock.runExclusive(() => pg.transaction((tx) => fn(inTransaction(tx)))),
    async close() {
      try {
        if (!pg.closed) await pg.close();
      } finally {
        lock?.release();
      }
    },
  };
}
