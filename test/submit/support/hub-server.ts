import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decode } from '@msgpack/msgpack';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  sha256: string;
}

/** What the next requests get instead of the normal answer: a status, headers and a body, once each. */
export interface Scripted {
  status: number;
  /** Store the submission as usual, then answer with this status anyway (an answer lost on the way back). */
  afterStore?: boolean;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A loopback learning hub that follows the hub's contract: POST /v1/submissions (gzip JSON or
 * MessagePack, idempotency-key = exportId) answers 201 with { exportId, receivedAt, deletionToken } (the client's `deletion-token` header, else a new one)
 * at a project's first submission, 200 with the first receipt and duplicate: true for an exportId it
 * already has; DELETE /v1/projects/:id with the bearer deletion token deletes. It records every
 * request with the SHA-256 of the exact bytes it received, can be scripted to fail, and can go
 * down and come back on the same port.
 */
export class TestHub {
  readonly received: Received[] = [];
  readonly script: Scripted[] = [];
  readonly receipts = new Map<string, { exportId: string; receivedAt: string; projectId: string }>();
  readonly tokens = new Map<string, string>();
  readonly deleted: string[] = [];
  port = 0;
  #server: Server | null = null;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Stops listening: connections are refused until start() again on the same port. */
  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  submissions(): Received[] {
    return this.received.filter((r) => r.method === 'POST' && r.url === '/v1/submissions');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    this.received.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    const scripted = this.script.shift();
    if (scripted && !scripted.afterStore) {
      res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
      res.end(
        scripted.body ??
          JSON.stringify({ error: { type: 'scripted', message: `scripted ${scripted.status}` } }),
      );
      return;
    }
    const json = (status: number, value: unknown) => {
      res.writeHead(scripted ? scripted.status : status, {
        'content-type': 'application/json',
        ...scripted?.headers,
      });
      res.end(JSON.stringify(scripted ? { error: { type: 'scripted', message: 'answer lost' } } : value));
    };
    if (req.method === 'POST' && req.url === '/v1/submissions') {
      let doc: { metadata?: { exportId?: string; projectId?: string } };
      try {
        const plain = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
        doc = (
          req.headers['content-type'] === 'application/msgpack'
            ? decode(plain)
            : JSON.parse(plain.toString('utf8'))
        ) as typeof doc;
      } catch {
        json(400, { error: { type: 'undecodable', message: 'the body is not gzip JSON or MessagePack' } });
        return;
      }
      const exportId = doc.metadata?.exportId ?? '';
      const projectId = doc.metadata?.projectId ?? '';
      if (req.headers['idempotency-key'] !== exportId) {
        json(400, {
          error: { type: 'idempotency-key-mismatch', message: 'idempotency-key is not the exportId' },
        });
        return;
      }
      const first = this.receipts.get(exportId);
      if (first) {
        json(200, { exportId, receivedAt: first.receivedAt, duplicate: true });
        return;
      }
      const receipt = { exportId, receivedAt: new Date().toISOString(), projectId };
      this.receipts.set(exportId, receipt);
      const answer: Record<string, unknown> = { exportId, receivedAt: receipt.receivedAt };
      if (!this.tokens.has(projectId)) {
        // Like the hub: the client may choose its deletion token; otherwise one is made up.
        const chosen = req.headers['deletion-token'];
        const token =
          typeof chosen === 'string' && chosen.length >= 32 ? chosen : randomBytes(16).toString('hex');
        this.tokens.set(projectId, token);
        answer.deletionToken = token;
      }
      json(201, answer);
      return;
    }
    const del = /^\/v1\/projects\/([^/]+)$/.exec(req.url ?? '');
    if (req.method === 'DELETE' && del) {
      const projectId = decodeURIComponent(del[1] as string);
      const token = this.tokens.get(projectId);
      if (!token) {
        json(404, { error: { type: 'not-found', message: 'no such project' } });
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) {
        json(403, { error: { type: 'bad-token', message: 'wrong deletion token' } });
        return;
      }
      for (const [id, r] of this.receipts) if (r.projectId === projectId) this.receipts.delete(id);
      this.tokens.delete(projectId);
      this.deleted.push(projectId);
      json(200, { deleted: true });
      return;
    }
    json(404, { error: { type: 'not-found', message: 'no such route' } });
  }
}
