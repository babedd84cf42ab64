import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Payload } from '../../lib/submit/payload.ts';
import { createIssue, issueRequestBody } from '../../lib/submit/transport-github-api.ts';
import type { HttpDeps } from '../../lib/submit/transport-http.ts';
import { TestGithub } from './support/github-server.ts';
import { payloadOf, projectWithData } from './support/project.ts';

function deps(): { d: HttpDeps; waits: number[] } {
  const waits: number[] = [];
  let now = 1_800_000_000_000;
  return {
    waits,
    d: {
      fetch: (url, init) => fetch(url, init),
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      random: () => 0,
      retry: {
        maxAttempts: 3,
        maxTotalMs: 120_000,
        baseDelayMs: 100,
        maxDelayMs: 1_000,
        attemptTimeoutMs: 2_000,
      },
    },
  };
}

describe('GitHub issue through the REST API', () => {
  const gh = new TestGithub();
  let p: Payload;
  let target: { apiBase: string; owner: string; repo: string };
  before(async () => {
    await gh.start();
    p = await payloadOf(await projectWithData());
    target = { apiBase: gh.url, owner: 'acme', repo: 'feedback' };
  });
  after(async () => {
    await gh.stop();
  });

  it('creates the issue with GitHub’s headers and reports its number and URL', async () => {
    const out = await createIssue(target, 'tok', p, deps().d);
    assert.equal(out.kind, 'created');
    const req = gh.requests.at(-1)!;
    assert.equal(req.headers.accept, 'application/vnd.github+json');
    assert.equal(req.headers['x-github-api-version'], '2022-11-28');
    assert.equal(out.kind === 'created' && out.requestSha256, req.sha256);
    assert.equal(req.body.toString('utf8'), issueRequestBody(p));
  });

  it('waits out a secondary rate limit (403 + Retry-After) and a 5xx, then creates', async () => {
    const { d, waits } = deps();
    gh.script.push({ status: 403, headers: { 'retry-after': '7' } }, { status: 502 });
    const out = await createIssue(target, 'tok', p, d);
    assert.equal(out.kind === 'created' && out.attempts, 3);
    assert.deepEqual(waits, [7_000, 0]);
  });

  it('explains a 403 without rate limit, a 404 and a 410 without retrying', async () => {
    for (const [status, pattern] of [
      [403, /may not create issues in acme\/feedback \(403\).*Issues: write/],
      [404, /acme\/feedback was not found, or the token cannot see it \(404\)/],
      [410, /issues are turned off in acme\/feedback \(410\)/],
    ] as const) {
      gh.script.push({ status });
      const before = gh.requests.length;
      const out = await createIssue(target, 'tok', p, deps().d);
      assert.equal(out.kind, 'rejected');
      assert.match(out.kind === 'rejected' ? out.message : '', pattern);
      assert.equal(gh.requests.length - before, 1);
    }
  });

  it('refuses, before any request, a payload that does not fit an issue body', async () => {
    const before = gh.requests.length;
    const bytes = new Uint8Array(randomBytes(60_000));
    const out = await createIssue(target, 'tok', { ...p, bytes }, deps().d);
    assert.equal(out.kind, 'too-large');
    assert.equal(gh.requests.length, before);
  });
});
