import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Payload } from '../../lib/submit/payload.ts';
import type { RetryPolicy } from '../../lib/submit/retry.ts';
import { type HttpDeps, postToHub, submissionHeaders } from '../../lib/submit/transport-http.ts';
import { TestHub } from './support/hub-server.ts';
import { payloadOf, projectWithData } from './support/project.ts';

const policy: RetryPolicy = {
  maxAttempts: 3,
  maxTotalMs: 60_000,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  attemptTimeoutMs: 2_000,
};

/** Real fetch on loopback, fake time: waits are recorded, not slept. */
function deps(over: Partial<HttpDeps> = {}) {
  const waits: number[] = [];
  let now = 0;
  const d: HttpDeps = {
    fetch: (url, init) => fetch(url, init),
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random: () => 0.5,
    retry: policy,
    ...over,
  };
  return { d, waits };
}

describe('POST to a hub', () => {
  const hub = new TestHub();
  let p: Payload;
  before(async () => {
    await hub.start();
    p = await payloadOf(await projectWithData());
  });
  after(async () => {
    await hub.stop();
  });

  it('sends the payload bytes unchanged with the contract headers; reads the hub receipt', async () => {
    const { d } = deps();
    const out = await postToHub(hub.url, p, d);
    assert.equal(out.kind, 'accepted');
    const req = hub.submissions().at(-1)!;
    assert.equal(req.sha256, p.sha256);
    for (const [k, val] of Object.entries(submissionHeaders(p))) assert.equal(req.headers[k], val, k);
    assert.equal(
      req.headers['content-digest'],
      `sha-256=:${Buffer.from(p.sha256, 'hex').toString('base64')}:`,
    );
    assert.equal(out.kind === 'accepted' && out.answer?.exportId, p.exportId);
    assert.equal(out.kind === 'accepted' && typeof out.answer?.deletionToken, 'string');
    const dup = await postToHub(hub.url, p, d);
    assert.equal(dup.kind === 'accepted' && dup.answer?.duplicate, true);
  });

  it('retries 5xx, 408 and 429 with backoff and Retry-After, then succeeds', async () => {
    const { d, waits } = deps();
    hub.script.push({ status: 503, headers: { 'retry-after': '2' } }, { status: 408 });
    const out = await postToHub(hub.url, p, d);
    assert.equal(out.kind === 'accepted' && out.attempts, 3);
    assert.deepEqual(waits, [2_000, 100]);
  });

  it('gives up after the attempt cap and reports the last reason (the caller queues)', async () => {
    const { d } = deps();
    hub.script.push({ status: 502 }, { status: 502 }, { status: 502 });
    const out = await postToHub(hub.url, p, d);
    assert.deepEqual(out, { kind: 'unreachable', reason: 'HTTP 502 scripted', attempts: 3 });
  });

  it('does not retry another 4xx, and keeps the typed reason', async () => {
    const { d } = deps();
    hub.script.push({
      status: 413,
      body: JSON.stringify({ error: { type: 'too-large', message: 'over 1 MiB' } }),
    });
    const before = hub.submissions().length;
    const out = await postToHub(hub.url, p, d);
    assert.deepEqual(out, {
      kind: 'rejected',
      status: 413,
      type: 'too-large',
      message: 'over 1 MiB',
      attempts: 1,
    });
    assert.equal(hub.submissions().length - before, 1);
  });

  it('never follows a redirect: the payload goes only where it was approved', async () => {
    const { d } = deps();
    const elsewhere = new TestHub();
    await elsewhere.start();
    try {
      hub.script.push({ status: 307, headers: { location: `${elsewhere.url}/v1/submissions` } });
      const out = await postToHub(hub.url, p, d);
      assert.equal(out.kind, 'rejected');
      assert.equal(out.kind === 'rejected' && out.type, 'redirect');
      assert.equal(elsewhere.received.length, 0);
    } finally {
      await elsewhere.stop();
    }
  });

  it('accepts a 2xx whose answer is not a hub receipt, and says so', async () => {
    const { d } = deps();
    hub.script.push({ status: 200, body: 'ok' });
    const out = await postToHub(hub.url, p, d);
    assert.deepEqual(out, {
      kind: 'accepted',
      status: 200,
      answer: null,
      problem: 'the answer was not JSON',
      attempts: 1,
    });
    hub.script.push({ status: 200, body: JSON.stringify({ exportId: 'f'.repeat(64), receivedAt: 'now' }) });
    const other = await postToHub(hub.url, p, d);
    assert.equal(other.kind === 'accepted' && other.problem, 'the hub acknowledged a different exportId');
  });
});

describe('POST to a hub that does not answer', () => {
  let server: Server;
  let url = '';
  before(async () => {
    server = createServer(() => {
      // Holds every request open: a hub that hangs.
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('times each attempt out and retries, within the cap', async () => {
    const p = await payloadOf(await projectWithData({ tasks: 10 }));
    const { d } = deps({ retry: { ...policy, maxAttempts: 2, attemptTimeoutMs: 150 } });
    const out = await postToHub(url, p, d);
    assert.deepEqual(out, { kind: 'unreachable', reason: 'no answer within 150 ms', attempts: 2 });
  });

  it('reports a refused connection by its code', async () => {
    const p = await payloadOf(await projectWithData({ tasks: 10 }));
    const closed = new TestHub();
    await closed.start();
    const base = closed.url;
    await closed.stop();
    const { d } = deps({ retry: { ...policy, maxAttempts: 1 } });
    const out = await postToHub(base, p, d);
    assert.equal(out.kind, 'unreachable');
    assert.match(out.kind === 'unreachable' ? out.reason : '', /ECONNREFUSED/);
  });
});
