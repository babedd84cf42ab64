import type { Db } from './db.ts';
import { openPglite } from './db-pglite.ts';
import { openPostgres } from './db-postgres.ts';
import { migrate } from './migrations.ts';

/** `--db`: a `postgres://` / `postgresql://` URL, or a folder for the embedded PGlite. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(db);
}

/** Opens the hub's database and brings its schema up to date. */
export async function openHubDb(db: string): Promise<Db> {
  const handle = isPostgresUrl(db) ? await openPostgres(db) : await openPglite(db);
  try {
    await migrate(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
