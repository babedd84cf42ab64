import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  apiIssueBody,
  base64Lines,
  GITHUB_BODY_LIMIT,
  issueMarker,
  issueTitle,
  maxApiPayloadBytes,
  PREFILLED_URL_LIMIT,
  prefilledIssue,
} from '../../lib/submit/github-issue.ts';
import type { Payload } from '../../lib/submit/payload.ts';
import { payloadOf, projectWithData } from './support/project.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The same document with a payload of `n` incompressible bytes: the sizes GitHub's limits are about. */
function withBytes(p: Payload, n: number): Payload {
  const bytes = new Uint8Array(randomBytes(n));
  return { ...p, bytes, sha256: sha(bytes) };
}

function inlinePayload(body: string): Buffer | null {
  const m = /```\n([A-Za-z0-9+/=\n]+)\n```/.exec(body);
  return m ? Buffer.from((m[1] as string).replace(/\n/g, ''), 'base64') : null;
}

describe('GitHub issue', () => {
  let p: Payload;
  before(async () => {
    p = await payloadOf(await projectWithData());
  });

  it('title, marker and summary come from the gated document; the details block decodes to the payload', () => {
    assert.match(
      issueTitle(p.doc),
      /^Learning data [0-9a-f]{12}: 120 tasks, weeks \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d$/,
    );
    const body = apiIssueBody(p.doc, p);
    assert.ok(body);
    assert.ok(body.startsWith(issueMarker(p)));
    assert.match(body, /<details><summary>Export \(json, gzip, base64: \d+ bytes\)<\/summary>/);
    assert.equal(sha(inlinePayload(body) as Buffer), p.sha256);
  });

  it('fits the 65,536-character body limit up to the documented payload size, and refuses beyond it', () => {
    const max = maxApiPayloadBytes();
    const fits = apiIssueBody(p.doc, withBytes(p, max));
    assert.ok(fits && fits.length <= GITHUB_BODY_LIMIT, `${fits?.length}`);
    assert.equal(apiIssueBody(p.doc, withBytes(p, 64 * 1024)), null, 'a 64 KB payload does not fit');
  });

  it('prefilled URL: inline when small, otherwise asks to attach; always under the URL limit', () => {
    const small = prefilledIssue(
      'https://github.com',
      'wtthornton',
      'TappsCodingAgents',
      p.doc,
      p,
      'learning-x.json.gz',
    );
    assert.ok(small?.inline);
    assert.ok((small?.url.length ?? 0) <= PREFILLED_URL_LIMIT);
    const body = new URL(small?.url ?? '').searchParams.get('body') ?? '';
    assert.equal(sha(inlinePayload(body) as Buffer), p.sha256);
    assert.equal(new URL(small?.url ?? '').searchParams.get('labels'), 'learning-data');

    const big = prefilledIssue(
      'https://github.com',
      'wtthornton',
      'TappsCodingAgents',
      p.doc,
      withBytes(p, 20_000),
      'learning-y.json.gz',
    );
    assert.equal(big?.inline, false);
    assert.ok((big?.url.length ?? Infinity) <= PREFILLED_URL_LIMIT);
    assert.match(
      new URL(big?.url ?? '').searchParams.get('body') ?? '',
      /Attach `learning-y\.json\.gz` here/,
    );
  });

  it('wraps base64 at 76 columns', () => {
    const lines = base64Lines(new Uint8Array(200)).split('\n');
    assert.ok(lines.every((l) => l.length <= 76));
    assert.equal(Buffer.from(lines.join(''), 'base64').byteLength, 200);
  });
});
