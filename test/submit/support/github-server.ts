import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Scripted } from './hub-server.ts';

export interface IssueRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sha256: string;
  json: { title: string; body: string; labels: string[] };
}

/** A loopback stand-in for GitHub's REST API: POST /repos/:owner/:repo/issues answers 201 with a number and html_url. */
export class TestGithub {
  readonly requests: IssueRequest[] = [];
  readonly script: Scripted[] = [];
  #server: Server | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      let json: IssueRequest['json'];
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = { title: '', body: '', labels: [] };
      }
      this.requests.push({
        url: req.url ?? '',
        headers: req.headers,
        body,
        sha256: createHash('sha256').update(body).digest('hex'),
        json,
      });
      const scripted = this.script.shift();
      if (scripted) {
        res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        res.end(scripted.body ?? JSON.stringify({ message: `scripted ${scripted.status}` }));
        return;
      }
      const m = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      if (json.body.length > 65_536) {
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ message: 'Validation Failed: body is too long (maximum is 65536 characters)' }),
        );
        return;
      }
      const number = this.requests.length;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ number, html_url: `https://github.com/${m[1]}/${m[2]}/issues/${number}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
