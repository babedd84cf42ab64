import { resolve } from 'node:path';
import type { CommandSpec } from '../../../hooks/command-registry.ts';
import { pluginDir } from '../../files/plugin-dir.ts';
import { DbBusyError } from '../../hub/db-pglite.ts';
import { redactUrl } from '../../hub/db-postgres.ts';
import { SchemaTooNewError } from '../../hub/migrations.ts';
import { isPostgresUrl } from '../../hub/open-db.ts';
import { HUB_DEFAULTS, type HubServer, startHub } from '../../hub/server.ts';
import { readTokenFile, TokenFileError } from '../../hub/tokens.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { EXIT, say } from '../io.ts';

export function hubServeCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'hub', 'serve'],
    summary: "run the maintainers' hub: receive submissions, publish the k-thresholded aggregate",
    description:
      'Serves POST /v1/submissions, GET /v1/aggregate, GET /v1/release-summary, DELETE /v1/projects/:projectId,\n' +
      'GET / (dashboard), GET /rejections and /healthz. --db is a folder for the embedded PGlite database\n' +
      `(default ${'.tapps-agents/learning-plugin/hub-db'}) or a postgres:// URL. Listens on 127.0.0.1 unless --host says\n` +
      'otherwise. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM; a submission answered 2xx is already on disk.',
    example:
      'tapps-agents learning hub serve --db postgres://hub@127.0.0.1/learning --host 0.0.0.0 --token-file tokens.txt',
    options: [
      { flags: '--db <dir|url>', description: 'PGlite folder or postgres:// URL' },
      {
        flags: '--port <n>',
        description: 'TCP port (0 picks a free one)',
        default: String(HUB_DEFAULTS.port),
      },
      { flags: '--host <address>', description: 'address to listen on', default: HUB_DEFAULTS.host },
      {
        flags: '--token-file <file>',
        description: 'accept submissions only with one of these bearer tokens (one per line)',
      },
      {
        flags: '--k <n>',
        description: 'distinct projects a published cell needs',
        default: String(HUB_DEFAULTS.k),
      },
      {
        flags: '--max-body <bytes>',
        description: 'largest request body and decompressed document',
        default: String(HUB_DEFAULTS.maxBodyBytes),
      },
      {
        flags: '--rate <per-minute>',
        description: 'submissions per minute per client address (0: no limit)',
        default: String(HUB_DEFAULTS.rate.perAddress.perMinute),
      },
      {
        flags: '--workers <n>',
        description:
          'threads that decode, validate and gate submissions (0: on the main thread; default: cores - 1, at most 4)',
      },
      {
        flags: '--token-rate <per-minute>',
        description: 'submissions per minute per bearer token (0: no limit)',
        default: String(HUB_DEFAULTS.rate.perToken.perMinute),
      },
    ],
    async run(ctx) {
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
      const where =
        hub.db.kind === 'pglite' ? `PGlite in ${hub.db.location}` : `PostgreSQL ${hub.db.location}`;
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
    },
  };
}
