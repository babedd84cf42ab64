import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Queryable } from './db.ts';

/**
 * A real PostgreSQL through a `pg` pool. Concurrent submissions use separate connections, so the
 * server's group commit makes many durable commits per disk flush.
 */
export async function openPostgres(url: string, poolSize = 8): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server closed (restart, failover) must not take the hub down; the pool
  // opens a new one for the next query, and a query that fails answers 500 and is retried.
  pool.on('error', () => undefined);
  // Fail now, with the server's message, rather than at the first submission.
  const probe = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    throw new Error(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
  });
  probe.release();
  const asQueryable = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      // A named statement is parsed and planned once per connection instead of at every call.
      const r = await c.query({ name: statementName(sql), text: sql, values: params as unknown[] });
      return { rows: r.rows as R[] };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  return {
    kind: 'postgres',
    location: redactUrl(url),
    ...asQueryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(asQueryable(client));
        await client.query('COMMIT');
        return out;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

const names = new Map<string, string>();

/** One name per SQL text, the same on every connection (pg refuses one name for two texts). */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `hub_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/** The URL as it may be printed: no password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
