import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { tempDir } from '../temp-dir.ts';

const run = promisify(execFile);

export interface TestPostgres {
  /** A fresh, empty database of its own. */
  url: string;
  stop(): Promise<void>;
}

/** Where Debian's PostgreSQL 15 lives; PG_BIN overrides. */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why the real-PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailable(): string | null {
  if (process.env.PG_URL) return null;
  if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'pg_ctl')))
    return `PostgreSQL binaries not found in ${PG_BIN} (apt-get install -y postgresql, or set PG_BIN or PG_URL)`;
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser'))
    return 'running as root, but runuser is missing to start PostgreSQL as the postgres user';
  return null;
}

/**
 * A throwaway PostgreSQL on 127.0.0.1: PG_URL's server when set, otherwise a cluster of our own in
 * a temp folder (initdb as the `postgres` user when we are root, a free port, trust auth), stopped
 * and removed by stop(). Either way the caller gets a database nobody else uses.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const reason = postgresUnavailable();
  if (reason) throw new Error(reason);
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  if (process.env.PG_URL) {
    const server = process.env.PG_URL;
    await admin(server, `CREATE DATABASE ${name}`);
    return {
      url: withDatabase(server, name),
      stop: () => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = tempDir('hub-pg-');
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, postgresId('-u'), postgresId('-g'));
  const as = (cmd: string, args: string[]) =>
    root ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
  const data = join(dir, 'data');
  await as(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  await as(join(PG_BIN, 'pg_ctl'), [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  const server = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await admin(server, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(server, name),
    async stop() {
      await as(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** uid or gid of the `postgres` user that Debian's package creates. */
function postgresId(flag: '-u' | '-g'): number {
  const n = Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  if (!Number.isInteger(n)) throw new Error('cannot find the postgres user');
  return n;
}
