import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';

/**
 * lib/hub/server.ts's HUB_DEFAULTS as the options show them. Spelled out, not imported: that module
 * loads PGlite, hono and the privacy gate, and listing the commands must stay cheap. A test
 * (test/cli/hub.test.ts) keeps the two equal.
 */
export const HUB_DEFAULTS = {
  k: 5,
  maxBodyBytes: 4 * 1024 * 1024,
  host: '127.0.0.1',
  port: 8787,
  rate: { perAddress: { perMinute: 120 }, perToken: { perMinute: 600 } },
} as const;

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
          'threads that decode, validate and gate submissions (0: on the main thread; default: cores - 1, at least 2, at most 4)',
      },
      {
        flags: '--token-rate <per-minute>',
        description: 'submissions per minute per bearer token (0: no limit)',
        default: String(HUB_DEFAULTS.rate.perToken.perMinute),
      },
    ],
    async run(ctx) {
      const { runHubServe } = await import('../actions/hub.ts');
      return runHubServe(rt, ctx);
    },
  };
}
