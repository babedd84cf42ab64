import { resolve } from 'node:path';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { pluginDir } from '../../files/plugin-dir.ts';
import { DbBusyError } from '../../hub/db-pglite.ts';
import { redactUrl } from '../../hub/db-postgres.ts';
import { SchemaTooNewError } from '../../hub/migrations.ts';
import { isPostgresUrl } from '../../hub/open-db.ts';
import { type HubServer, startHub } from '../../hub/server.ts';
import { readTokenFile, TokenFileError } from '../../hub/tokens.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { EXIT, say } from '../io.ts';

/** What `learning hub serve` does; its options and help are in ../commands/hub.ts. */
export async function runHubServe(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const num = (name: string, min: number, max: number): number | null => {
    const n = Number(ctx.options[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    say(ctx, `learning hub serve: --${name} must be a whole number from ${min} to ${max}`);
    return null;
  };
  const port = num('port', 0, 65535);
  const k = num('k', 1, 1000);
  const maxBody = num('max-body', 1024, 256 * 1024 * 1024);
  const rate = num('rate', 0, 1_000_000);
  const tokenRate = num('token-rate', 0, 1_000_000);
  const workers = ctx.options.workers === undefined ? undefined : num('workers', 0, 64);
  if (
    port === null ||
    k === null ||
    maxBody === null ||
    rate === null ||
    tokenRate === null ||
    workers === null
  )
    return EXIT.usage;
  let tokenHashes: Set<string> | null = null;
  if (ctx.options.tokenFile !== undefined) {
    try {
      tokenHashes = readTokenFile(resolve(ctx.cwd, String(ctx.options.tokenFile)));
    } catch (error) {
      if (!(error instanceof TokenFileError)) throw error;
      say(ctx, `learning hub serve: ${error.message}`);
      return EXIT.usage;
    }
  }
  const dbArg =
    ctx.options.db === undefined ? resolve(pluginDir(rt.projectRoot), 'hub-db') : String(ctx.options.db);
  const db = isPostgresUrl(dbArg) ? dbArg : resolve(ctx.cwd, dbArg);
  const host = String(ctx.options.host);
  let hub: HubServer;
  try {
    hub = await startHub({
      db,
      host,
      port,
      k,
      maxBodyBytes: maxBody,
      ...(workers === undefined ? {} : { workers }),
      tokenHashes,
      rate: {
        perAddress: { perMinute: rate, burst: Math.max(1, Math.ceil(rate / 2)) },
        perToken: { perMinute: tokenRate, burst: Math.max(1, Math.ceil(tokenRate / 5)) },
      },
      log: (line) => say(ctx, line),
    });
  } catch (error) {
    const where = isPostgresUrl(db) ? redactUrl(db) : db;
    if (error instanceof DbBusyError || error instanceof SchemaTooNewError) {
      say(ctx, `learning hub serve: ${error.message}`);
      return EXIT.io;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      say(
        ctx,
        `learning hub serve: cannot listen on ${host}:${port} (${code}); choose another --port or --host`,
      );
      return EXIT.failed;
    }
    say(ctx, `learning hub serve: cannot open the database ${where}: ${(error as Error).message}`);
    return EXIT.io;
  }
  const where = hub.db.kind === 'pglite' ? `PGlite in ${hub.db.location}` : `PostgreSQL ${hub.db.location}`;
  say(
    ctx,
    `learning hub: listening on ${hub.url} (${where}; k = ${k}; ${tokenHashes ? `${tokenHashes.size} bearer token(s) required` : 'no token required'}; ` +
      `max body ${maxBody} bytes). Ctrl-C stops it.`,
  );
  const signal = await new Promise<string>((done) => {
    const stop = (s: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done(s);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  say(ctx, `learning hub: ${signal}: closing`);
  await hub.close();
  say(ctx, 'learning hub: stopped');
  return EXIT.ok;
}
