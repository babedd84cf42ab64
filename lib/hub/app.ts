import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import type { ExportV1 } from '../../schema/export-v1.ts';
import type { GateReport } from '../privacy/gate.ts';
import { admit } from './admit.ts';
import type { AdmitJob } from './admit-pool.ts';
import type { Aggregator } from './aggregator.ts';
import { html, PAGE_HEADERS } from './html.ts';
import type { Selection } from './ledger.ts';
import { page, renderAggregatePage, renderRejectionsPage } from './page.ts';
import { type Prepared, prepare } from './prepare.ts';
import { parseSelection } from './query.ts';
import { type RateLimit, TokenBuckets } from './rate-limit.ts';
import { readBody } from './read-body.ts';
import { Rejection, type RejectionType } from './rejection.ts';
import { renderReleaseSummary } from './release-summary.ts';
import { safeMessage, safeProblems } from './sanitize.ts';
import { type HubStore, projectKeyOf, type Stored } from './store.ts';
import { bearerToken, newDeletionToken, tokenHash } from './tokens.ts';
import { compareVersions } from './versions.ts';

export interface HubConfig {
  /** Distinct projects a published cell needs. */
  k: number;
  /** Largest request body, and largest decompressed document, in bytes. */
  maxBodyBytes: number;
  /** SHA-256 hashes of the accepted bearer tokens; null accepts submissions without a token. */
  tokenHashes: ReadonlySet<string> | null;
  rate: { perAddress: RateLimit; perToken: RateLimit };
  title: string;
  /** Chart.js source for the dashboard page; default: the installed chart.js (tests pass ''). */
  chartJs?: string;
}

export interface HubDeps {
  store: HubStore;
  aggregator: Aggregator;
  gate: (doc: ExportV1) => Promise<GateReport>;
  /** Admission off the main thread (an AdmitPool); default: in this thread, with `gate`. */
  admit?: (job: AdmitJob) => Promise<Prepared>;
  clock?: () => Date;
  random?: (n: number) => Uint8Array;
  /** Where the hub reports its own failures (stderr in the CLI). */
  log?: (line: string) => void;
  /** The client address when not served by @hono/node-server (in-process tests). */
  address?: (c: Context) => string;
}

const EXPORT_ID = /^[0-9a-f]{64}$/;
const PROJECT_ID = /^(?:p|legacy)_[0-9a-f]{16}$/;

/**
 * The maintainers' hub as a hono app: ingestion, aggregate, deletion, pages. Everything it needs
 * comes in through `deps`, so tests run it in-process with `app.request()` or on a real socket.
 */
export function createHubApp(config: HubConfig, deps: HubDeps): Hono {
  const clock = deps.clock ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const addressOf = deps.address ?? ((c: Context) => getConnInfo(c).remote.address ?? 'unknown');
  const byAddress = new TokenBuckets(config.rate.perAddress);
  const byToken = new TokenBuckets(config.rate.perToken);
  // Floods of refused requests are counted, but at most one per type and address per minute is logged.
  const sampled = new TokenBuckets({ perMinute: 1, burst: 1 });
  const admitJob = deps.admit ?? (async (job: AdmitJob) => prepare(await admit({ ...job, gate: deps.gate })));
  const app = new Hono();
  // A page is rendered once per aggregate report (reports are cached until the next change).
  const pages = new WeakCache<object, string>();

  const reject = async (
    c: Context,
    r: Rejection,
    about: {
      bytes?: number;
      exportId?: string | null;
      projectId?: string | null;
      format?: string | null;
    } = {},
  ) => {
    const noisy: RejectionType[] = ['rate', 'auth', 'duplicate'];
    if (!noisy.includes(r.type) || sampled.take(`${r.type}|${addressOf(c)}`) === 0) {
      await deps.store
        .recordRejection({
          at: clock(),
          type: r.type,
          status: r.status,
          message: safeMessage(r.message),
          problems: safeProblems(r.problems),
          exportId: about.exportId ?? null,
          projectId: about.projectId ?? null,
          bytes: about.bytes ?? 0,
          format: about.format ?? null,
        })
        .catch((error: unknown) =>
          log(`learning hub: cannot record a rejection: ${(error as Error).message}`),
        );
    }
    return c.json(r.body(), r.status as 400, r.headers);
  };

  const limited = (wait: number): Rejection | null =>
    wait === 0
      ? null
      : new Rejection('rate', 429, `too many requests; retry after ${wait} s`, [], {
          'retry-after': String(wait),
        });

  app.post('/v1/submissions', async (c) => {
    // The address first: guessing tokens is throttled like anything else.
    const byAddr = limited(byAddress.take(addressOf(c)));
    if (byAddr) return reject(c, byAddr);
    if (config.tokenHashes) {
      const token = bearerToken(c.req.header('authorization'));
      const tokenKey = token ? tokenHash(token) : null;
      if (!tokenKey || !config.tokenHashes.has(tokenKey))
        return reject(
          c,
          new Rejection(
            'auth',
            401,
            token
              ? 'this bearer token is not accepted by the hub'
              : 'this hub needs Authorization: Bearer <token>',
            [],
            {
              'www-authenticate': 'Bearer realm="learning-hub"',
            },
          ),
        );
      const byTok = limited(byToken.take(tokenKey));
      if (byTok) return reject(c, byTok);
    }

    const key = c.req.header('idempotency-key')?.trim() || null;
    if (key !== null && !EXPORT_ID.test(key))
      return reject(
        c,
        new Rejection(
          'schema',
          400,
          "Idempotency-Key must be the export's exportId (64 lowercase hex digits)",
        ),
      );
    const chosen = c.req.header('deletion-token')?.trim() || null;
    if (chosen !== null && !/^[\x21-\x7e]{32,512}$/.test(chosen))
      return reject(
        c,
        new Rejection('auth', 400, 'Deletion-Token must be 32 to 512 printable characters without spaces'),
      );
    if (key) {
      const known = await deps.store.receipt(key);
      if (known) {
        await reject(c, new Rejection('duplicate', 200, 'already received'), {
          exportId: key,
          projectId: known.projectId,
        });
        return c.json({ ...known, duplicate: true }, 200);
      }
    }

    let body: Uint8Array;
    try {
      body = await readBody(c.req.raw, config.maxBodyBytes);
    } catch (error) {
      if (error instanceof Rejection) return reject(c, error, { bytes: config.maxBodyBytes + 1 });
      throw error;
    }
    let admitted: Prepared;
    try {
      admitted = await admitJob({
        body,
        contentEncoding: c.req.header('content-encoding'),
        idempotencyKey: key,
        maxBytes: config.maxBodyBytes,
      });
    } catch (error) {
      if (error instanceof Rejection)
        return reject(c, error, { bytes: body.byteLength, ...(error.subject ?? {}) });
      throw error;
    }
    const about = {
      bytes: body.byteLength,
      exportId: admitted.exportId,
      projectId: admitted.projectId,
      format: admitted.format,
    };
    const deletionToken = chosen ?? newDeletionToken(deps.random);
    // From before the store to after the aggregate has it: a checkpoint never falls in between.
    const release = deps.aggregator.hold();
    let stored: Stored;
    try {
      stored = await deps.store.store(admitted, {
        bytes: body.byteLength,
        receivedAt: clock(),
        deletionTokenHash: tokenHash(deletionToken),
        likelyNew: !deps.aggregator.hasProject(projectKeyOf(admitted.projectId, admitted.exportId)),
      });
      if (stored.contribution)
        deps.aggregator.add(Number(stored.receipt.submissionId), {
          project: stored.receipt.projectId,
          frameworkVersion: stored.receipt.frameworkVersion,
          day: stored.day,
          contribution: stored.contribution.rollup,
        });
    } finally {
      release();
    }
    if (stored.duplicate) {
      await reject(c, new Rejection('duplicate', 200, 'already received'), about);
      return c.json({ ...stored.receipt, duplicate: true }, 200);
    }
    c.header('location', `/v1/submissions/${stored.receipt.exportId}`);
    return c.json(
      { ...stored.receipt, duplicate: false, ...(stored.newProject ? { deletionToken } : {}) },
      201,
    );
  });

  app.get('/v1/submissions/:exportId', async (c) => {
    const id = c.req.param('exportId');
    const receipt = EXPORT_ID.test(id) ? await deps.store.receipt(id) : null;
    if (!receipt)
      return c.json({ error: { type: 'not-found', message: 'no submission with this exportId' } }, 404);
    return c.json({ ...receipt, duplicate: false }, 200);
  });

  app.delete('/v1/projects/:projectId', async (c) => {
    const byAddr = limited(byAddress.take(addressOf(c)));
    if (byAddr) return reject(c, byAddr);
    const projectId = c.req.param('projectId');
    const token =
      bearerToken(c.req.header('authorization')) ?? (c.req.header('deletion-token')?.trim() || null);
    if (!token)
      return reject(
        c,
        new Rejection(
          'auth',
          401,
          'send the deletion token from the first submission as Authorization: Bearer <token>',
        ),
      );
    const deleted = PROJECT_ID.test(projectId)
      ? await deps.store.deleteProject(projectId, tokenHash(token))
      : null;
    if (!deleted) return reject(c, new Rejection('auth', 403, 'no project with this id and deletion token'));
    await deps.aggregator.remove(projectId, deleted.rows);
    return c.json({ projectId, deleted: true, submissions: deleted.submissions }, 200);
  });

  const selection = (c: Context): Selection =>
    parseSelection({
      framework: c.req.query('framework'),
      since: c.req.query('since'),
      until: c.req.query('until'),
    });

  app.get('/v1/aggregate', (c) => {
    try {
      return c.json(deps.aggregator.report(selection(c), clock()), 200, { 'cache-control': 'no-store' });
    } catch (error) {
      if (error instanceof Rejection) return c.json(error.body(), error.status as 400);
      throw error;
    }
  });

  app.get('/v1/release-summary', (c) => {
    try {
      return c.body(renderReleaseSummary(deps.aggregator.report(selection(c), clock())), 200, {
        'content-type': 'text/markdown; charset=utf-8',
        'cache-control': 'no-store',
      });
    } catch (error) {
      if (error instanceof Rejection) return c.json(error.body(), error.status as 400);
      throw error;
    }
  });

  app.get('/', (c) => {
    let s: Selection;
    try {
      s = selection(c);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      const text = html`<h1>${config.title}</h1><p>Bad query: ${error.problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}. <a href="/">All data</a></p>`;
      return c.body(page(config.title, text), 400, PAGE_HEADERS);
    }
    const report = deps.aggregator.report(s, clock());
    const qs = new URLSearchParams();
    if (report.filter.framework) qs.set('framework', report.filter.framework);
    if (report.filter.since) qs.set('since', report.filter.since);
    if (report.filter.until) qs.set('until', report.filter.until);
    const suffix = qs.size > 0 ? `?${qs}` : '';
    const body = pages.get(report, () =>
      renderAggregatePage(report, {
        title: config.title,
        now: clock(),
        versions: deps.aggregator.versions().sort(compareVersions),
        links: {
          json: `/v1/aggregate${suffix}`,
          markdown: `/v1/release-summary${suffix}`,
          rejections: '/rejections',
        },
        ...(config.chartJs === undefined ? {} : { chartJs: config.chartJs }),
      }),
    );
    return c.body(body, 200, PAGE_HEADERS);
  });

  app.get('/v1/rejections', async (c) => {
    const limit = Math.min(1000, Math.max(1, Number.parseInt(c.req.query('limit') ?? '100', 10) || 100));
    const type = c.req.query('type');
    const types: RejectionType[] = ['schema', 'size', 'duplicate', 'version', 'raw', 'auth', 'rate', 'gate'];
    if (type !== undefined && !types.includes(type as RejectionType))
      return c.json(
        new Rejection('schema', 400, 'bad query parameters', [
          { pointer: '/query/type', message: `one of ${types.join(', ')}` },
        ]).body(),
        400,
      );
    const [rejections, counts] = await Promise.all([
      deps.store.rejections({ limit, type: type as RejectionType | undefined }),
      deps.store.rejectionCounts(),
    ]);
    return c.json({ counts, rejections }, 200, { 'cache-control': 'no-store' });
  });

  app.get('/rejections', async (c) => {
    const [rows, counts] = await Promise.all([
      deps.store.rejections({ limit: 200 }),
      deps.store.rejectionCounts(),
    ]);
    return c.body(
      renderRejectionsPage(rows, counts, `${config.title}: rejected submissions`),
      200,
      PAGE_HEADERS,
    );
  });

  app.get('/healthz', async (c) => {
    try {
      const counts = await deps.store.counts();
      return c.json({ ok: true, db: deps.store.db.kind, ...counts, k: config.k }, 200, {
        'cache-control': 'no-store',
      });
    } catch (error) {
      log(`learning hub: health check failed: ${(error as Error).message}`);
      return c.json({ ok: false, db: deps.store.db.kind }, 503);
    }
  });

  app.notFound((c) =>
    c.json(
      { error: { type: 'not-found', message: `no route ${c.req.method} ${new URL(c.req.url).pathname}` } },
      404,
    ),
  );
  app.onError((error, c) => {
    log(
      `learning hub: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return c.json(
      { error: { type: 'internal', message: 'the hub failed to handle this request; try again later' } },
      500,
    );
  });
  return app;
}

/** One value per key object, dropped with it. */
class WeakCache<K extends object, V> {
  readonly #map = new WeakMap<K, V>();
  get(key: K, make: () => V): V {
    let v = this.#map.get(key);
    if (v === undefined) {
      v = make();
      this.#map.set(key, v);
    }
    return v;
  }
}
