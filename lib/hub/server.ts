import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { type ServerType, serve } from '@hono/node-server';
import { gate } from '../privacy/gate.ts';
import { type AdmitJob, AdmitPool } from './admit-pool.ts';
import { Aggregator } from './aggregator.ts';
import { createHubApp, type HubConfig, type HubDeps } from './app.ts';
import type { Db } from './db.ts';
import { openHubDb } from './open-db.ts';
import { HubStore } from './store.ts';

export interface HubServerOptions extends Partial<HubConfig> {
  /** A folder (PGlite) or a postgres:// URL; or an already open database. */
  db: string | Db;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Admission worker threads; 0 admits on the main thread. Default: see defaultWorkers(). */
  workers?: number;
  /** How often (ms after a change) the aggregate is checkpointed to the database; 0: only at close. */
  checkpointMs?: number;
  clock?: HubDeps['clock'];
  random?: HubDeps['random'];
  log?: HubDeps['log'];
}

export interface HubServer {
  url: string;
  port: number;
  db: Db;
  store: HubStore;
  aggregator: Aggregator;
  /** Stops accepting, lets requests in flight finish, then closes the database. */
  close(): Promise<void>;
}

export const HUB_DEFAULTS = {
  k: 5,
  maxBodyBytes: 4 * 1024 * 1024,
  host: '127.0.0.1',
  port: 8787,
  rate: { perAddress: { perMinute: 120, burst: 60 }, perToken: { perMinute: 600, burst: 120 } },
  title: 'TappsCodingAgents learning hub',
} as const;

/** A kill -9 costs at most this much re-reading at the next start; a clean stop costs none. */
export const CHECKPOINT_MS = 30_000;

/** Opens (and migrates) the database, loads the aggregate from it, and listens. */
export async function startHub(o: HubServerOptions): Promise<HubServer> {
  const db = typeof o.db === 'string' ? await openHubDb(o.db) : o.db;
  let pool: AdmitPool | null = null;
  try {
    const config: HubConfig = {
      k: o.k ?? HUB_DEFAULTS.k,
      maxBodyBytes: o.maxBodyBytes ?? HUB_DEFAULTS.maxBodyBytes,
      tokenHashes: o.tokenHashes ?? null,
      rate: o.rate ?? HUB_DEFAULTS.rate,
      title: o.title ?? HUB_DEFAULTS.title,
      ...(o.chartJs === undefined ? {} : { chartJs: o.chartJs }),
    };
    const workers = o.workers ?? defaultWorkers(availableParallelism());
    pool = workers > 0 ? new AdmitPool(workers) : null;
    const store = new HubStore(db);
    const aggregator = new Aggregator(store, config.k, {
      checkpointMs: o.checkpointMs ?? CHECKPOINT_MS,
      log: o.log,
    });
    await aggregator.start();
    const app = createHubApp(config, {
      store,
      aggregator,
      gate: (doc) => gate(doc),
      ...(pool ? { admit: (job: AdmitJob) => (pool as AdmitPool).admit(job) } : {}),
      clock: o.clock,
      random: o.random,
      log: o.log,
    });
    const server = await listen(app.fetch, o.host ?? HUB_DEFAULTS.host, o.port ?? HUB_DEFAULTS.port);
    const port = (server.address() as AddressInfo).port;
    const host = o.host ?? HUB_DEFAULTS.host;
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      db,
      store,
      aggregator,
      close() {
        closing ??= (async () => {
          await new Promise<void>((done) => {
            server.close(() => done());
            (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          });
          await aggregator.close();
          await store
            .tidy()
            .catch((error: unknown) => o.log?.(`learning hub: VACUUM failed: ${(error as Error).message}`));
          await pool?.close();
          await db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await pool?.close();
    await db.close();
    throw error;
  }
}

/**
 * One admission thread per core beyond the first, at most 4, but never fewer than 2: the main
 * thread mostly waits for the database, and with a single admission thread two clients' uploads
 * would be validated one after the other even while a core is free (measured on 2 cores: +40%).
 */
export function defaultWorkers(cores: number): number {
  return Math.min(4, Math.max(2, cores - 1));
}

function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  hostname: string,
  port: number,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}
