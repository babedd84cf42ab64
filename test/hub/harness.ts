import { createHash } from 'node:crypto';
import { withExportId } from '../../lib/export/build.ts';
import { serializeExport } from '../../lib/export/serialize.ts';
import type { HubServer, HubServerOptions } from '../../lib/hub/server.ts';
import { startHub } from '../../lib/hub/server.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';

/** A clock that starts at `start` and moves 1 s per call: receipts are the same on every run. */
export function steppingClock(start = '2026-11-24T12:00:00Z', stepMs = 1000): () => Date {
  let t = Date.parse(start);
  return () => {
    const d = new Date(t);
    t += stepMs;
    return d;
  };
}

/** Seeded "random" bytes, so deletion tokens are the same on every run (and on both backends). */
export function seededRandom(seed = 'hub-test'): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(block.length, n - filled)), filled);
      filled += block.length;
    }
    return out;
  };
}

export const NO_RATE_LIMIT = { perAddress: { perMinute: 0, burst: 0 }, perToken: { perMinute: 0, burst: 0 } };

/** An in-process hub on a real loopback socket, deterministic clock and tokens. */
export function testHub(db: HubServerOptions['db'], o: Partial<HubServerOptions> = {}): Promise<HubServer> {
  return startHub({
    db,
    host: '127.0.0.1',
    port: 0,
    clock: steppingClock(),
    random: seededRandom(),
    rate: NO_RATE_LIMIT,
    log: () => undefined,
    chartJs: '',
    ...o,
  });
}

export function post(url: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/submissions`, { method: 'POST', body, headers });
}

export function encodings(doc: ExportV1): { name: string; bytes: Uint8Array }[] {
  return [
    { name: 'json', bytes: serializeExport(doc, { format: 'json' }) },
    { name: 'json.gz', bytes: serializeExport(doc, { format: 'json', gzip: true }) },
    { name: 'msgpack', bytes: serializeExport(doc, { format: 'msgpack' }) },
    { name: 'msgpack.gz', bytes: serializeExport(doc, { format: 'msgpack', gzip: true }) },
  ];
}

/** The same export under another project id (a valid, distinct submission). */
export function asProject(doc: ExportV1, n: number): ExportV1 {
  return withExportId({
    ...doc,
    metadata: { ...doc.metadata, projectId: `p_${n.toString(16).padStart(16, '0')}` },
  });
}
