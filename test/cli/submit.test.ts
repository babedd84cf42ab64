import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { decode } from '@msgpack/msgpack';
import { pluginFile } from '../../lib/files/plugin-dir.ts';
import type { Receipt } from '../../schema/receipt.ts';
import { guardEgress } from '../submit/support/egress-guard.ts';
import { TestGithub } from '../submit/support/github-server.ts';
import { TestHub } from '../submit/support/hub-server.ts';
import { cleanEnv, projectWithData } from '../submit/support/project.ts';
import { run } from '../submit/support/tty.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function receipts(dir: string): Receipt[] {
  const path = pluginFile(dir, 'receipts');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

function dryRunBytes(stdout: string): Buffer {
  return Buffer.from(
    stdout
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .join(''),
    'base64',
  );
}

async function grant(dir: string, to: string, env = cleanEnv()): Promise<void> {
  const r = await run(['learning', 'consent', 'grant', '--to', to, '--yes'], { cwd: dir, env });
  assert.equal(r.code, 0, r.stderr);
}

describe('learning submit to a hub (HTTP)', () => {
  const hub = new TestHub();
  before(async () => {
    await hub.start();
  });
  after(async () => {
    await hub.stop();
  });

  it('sends gzip JSON with the exportId as idempotency key; the receipt hash is the hash of the bytes the hub received', async () => {
    const dir = await projectWithData();
    await grant(dir, hub.url);
    const before = hub.submissions().length;
    const r = await run(['learning', 'submit', '--yes', '--json'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    const got = hub.submissions().slice(before);
    assert.equal(got.length, 1);
    const req = got[0]!;
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['content-encoding'], 'gzip');
    const doc = JSON.parse(gunzipSync(req.body).toString('utf8'));
    assert.equal(req.headers['idempotency-key'], doc.metadata.exportId);
    assert.equal(doc.metadata.raw, false);
    const [receipt] = receipts(dir);
    assert.equal(receipt?.sha256, req.sha256, 'receipt hash = SHA-256 of the received bytes');
    assert.equal(receipt?.bytes, req.body.byteLength);
    assert.equal(receipt?.exportId, doc.metadata.exportId);
    assert.equal(receipt?.outcome, 'accepted');
    assert.equal(receipt?.answer.httpStatus, 201);
    assert.deepEqual(JSON.parse(r.stdout), receipt, '--json prints the receipt');
    // The deletion key the hub returned is kept locally (mode 0600), never in the receipts.
    const consent = JSON.parse(readFileSync(pluginFile(dir, 'consent'), 'utf8'));
    assert.equal(consent.hubs.length, 1);
    assert.equal(consent.hubs[0].deletionToken, hub.tokens.get(doc.metadata.projectId));
    assert.equal(statSync(pluginFile(dir, 'consent')).mode & 0o077, 0);
    assert.doesNotMatch(
      readFileSync(pluginFile(dir, 'receipts'), 'utf8'),
      new RegExp(consent.hubs[0].deletionToken),
    );
    const list = await run(['learning', 'receipts', '--json'], { cwd: dir, env: cleanEnv() });
    assert.equal(JSON.parse(list.stdout)[0].sha256, req.sha256);
  });

  it('the dry run prints the exact bytes a real submission then sends (same SHA-256)', async () => {
    const dir = await projectWithData();
    await grant(dir, hub.url);
    const dry = await run(['learning', 'submit', '--dry-run'], { cwd: dir, env: cleanEnv() });
    assert.equal(dry.code, 0, dry.stderr);
    const printed = /^# sha256: ([0-9a-f]{64})$/m.exec(dry.stdout)?.[1];
    const bytes = dryRunBytes(dry.stdout);
    assert.equal(sha(bytes), printed, 'the printed hash is the hash of the printed bytes');
    assert.match(dry.stderr, /dry run: nothing was sent/);
    const before = hub.submissions().length;
    const r = await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    const req = hub.submissions().slice(before)[0]!;
    assert.equal(req.sha256, printed);
    assert.deepEqual(req.body, bytes);
  });

  it('learning receipts lists every submission for people, marks repeats and skips damaged lines by number', async () => {
    const dir = await projectWithData();
    await grant(dir, hub.url);
    assert.equal((await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() })).code, 0);
    assert.equal(
      (await run(['learning', 'submit', '--to', 'file:b'], { cwd: dir, env: cleanEnv() })).code,
      0,
    );
    writeFileSync(
      pluginFile(dir, 'receipts'),
      `${readFileSync(pluginFile(dir, 'receipts'), 'utf8')}garbage\n`,
    );
    const r = await run(['learning', 'receipts'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /receipts\.jsonl line 3 skipped: not JSON/);
    assert.match(
      r.stderr,
      /accepted +http +http:\/\/127\.0\.0\.1:\d+\n +\d+ bytes json\+gzip {2}sha256 [0-9a-f]{64}/,
    );
    assert.match(r.stderr, /written +file +file:/);
    assert.match(r.stderr, /\(same export as another receipt\)/);
    assert.match(r.stderr, /2 receipt\(s\), 1 distinct export\(s\)/);
    const empty = await run(['learning', 'receipts'], {
      cwd: await projectWithData({ tasks: 0 }),
      env: cleanEnv(),
    });
    assert.match(empty.stderr, /no submissions yet/);
  });

  it('does not submit an empty export', async () => {
    const dir = await projectWithData({ tasks: 0 });
    await grant(dir, hub.url);
    const r = await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nothing to submit yet/);
  });

  it('recognizes the same export: not sent again, --resend gets "duplicate" from the hub, the ledger notices', async () => {
    const dir = await projectWithData();
    await grant(dir, hub.url);
    assert.equal((await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() })).code, 0);
    const before = hub.submissions().length;
    const again = await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() });
    assert.equal(again.code, 0);
    assert.match(again.stderr, /already reached .* nothing new to send/);
    assert.equal(hub.submissions().length, before, 'nothing sent');
    const resend = await run(['learning', 'submit', '--yes', '--resend'], { cwd: dir, env: cleanEnv() });
    assert.equal(resend.code, 0, resend.stderr);
    assert.match(resend.stderr, /already had this export/);
    assert.match(resend.stderr, /was handed over before/);
    const rs = receipts(dir);
    assert.deepEqual(
      rs.map((x) => x.outcome),
      ['accepted', 'duplicate'],
    );
    assert.equal(rs[0]?.exportId, rs[1]?.exportId);
  });

  it('sends TAPPS_LEARNING_HUB_TOKEN as a bearer token, and explains a 401', async () => {
    const dir = await projectWithData();
    await grant(dir, hub.url);
    const before = hub.submissions().length;
    hub.script.push({
      status: 401,
      body: JSON.stringify({
        error: { type: 'auth', message: 'this hub needs Authorization: Bearer <token>' },
      }),
    });
    const r = await run(['learning', 'submit', '--yes'], {
      cwd: dir,
      env: cleanEnv({ TAPPS_LEARNING_HUB_TOKEN: 'hub-secret' }),
    });
    assert.equal(r.code, 1);
    assert.equal(hub.submissions()[before]?.headers.authorization, 'Bearer hub-secret');
    assert.match(r.stderr, /\(401 auth\).*reads it from TAPPS_LEARNING_HUB_TOKEN, which it did not accept/);
    assert.doesNotMatch(r.stderr, /hub-secret/);
  });

  it('sends MessagePack with --format msgpack', async () => {
    const dir = await projectWithData();
    await grant(dir, hub.url);
    const before = hub.submissions().length;
    const r = await run(['learning', 'submit', '--yes', '--format', 'msgpack'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(r.code, 0, r.stderr);
    const req = hub.submissions().slice(before)[0]!;
    assert.equal(req.headers['content-type'], 'application/msgpack');
    const doc = decode(gunzipSync(req.body)) as { metadata: { exportId: string } };
    assert.equal(req.headers['idempotency-key'], doc.metadata.exportId);
    assert.equal(receipts(dir)[0]?.sha256, req.sha256);
    assert.equal(receipts(dir)[0]?.format, 'msgpack');
  });

  it('retries a 503 (honouring Retry-After) and records the bytes the hub finally took', async () => {
    const dir = await projectWithData();
    await grant(dir, hub.url);
    const before = hub.submissions().length;
    hub.script.push(
      { status: 503, headers: { 'retry-after': '0' } },
      { status: 429, headers: { 'retry-after': '0' } },
    );
    const r = await run(['learning', 'submit', '--yes', '--attempts', '3'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    const got = hub.submissions().slice(before);
    assert.equal(got.length, 3);
    assert.equal(new Set(got.map((g) => g.sha256)).size, 1, 'the same bytes every time');
    assert.equal(receipts(dir)[0]?.sha256, got[2]?.sha256);
  });

  it('does not retry or queue a 4xx, and shows the hub’s typed reason', async () => {
    const dir = await projectWithData();
    await grant(dir, hub.url);
    const before = hub.submissions().length;
    hub.script.push({
      status: 422,
      body: JSON.stringify({ error: { type: 'schema-invalid', message: 'at /metadata: \u001b[31mbad' } }),
    });
    const r = await run(['learning', 'submit', '--yes', '--attempts', '3'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 1);
    assert.equal(hub.submissions().length - before, 1, 'no retry');
    assert.match(r.stderr, /refused the submission \(422 schema-invalid\): at \/metadata: \[31mbad/);
    assert.ok(!r.stderr.includes('\u001b'), 'terminal escapes from the server are removed');
    assert.equal(
      existsSync(join(pluginFile(dir, 'outbox'))) &&
        readdirSync(pluginFile(dir, 'outbox')).some((f) => f.endsWith('.json')),
      false,
    );
    assert.deepEqual(receipts(dir), []);
  });

  it('queues in the outbox while the hub is down, and --retry delivers it exactly once when it is back', async () => {
    const down = new TestHub();
    await down.start();
    const port = down.port;
    await down.stop();
    const dir = await projectWithData();
    await grant(dir, down.url);
    const first = await run(['learning', 'submit', '--yes', '--attempts', '2'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(first.code, 1);
    assert.match(
      first.stderr,
      /waits in the outbox; send it later with: tapps-agents learning submit --retry/,
    );
    const queued = readdirSync(pluginFile(dir, 'outbox')).filter((f) => f.endsWith('.json'));
    assert.equal(queued.length, 1);
    const still = await run(['learning', 'submit', '--retry', '--attempts', '1'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(still.code, 1, 'still down');
    assert.match(still.stderr, /0 sent, 1 still queued/);
    const entry = JSON.parse(readFileSync(join(pluginFile(dir, 'outbox'), queued[0]!), 'utf8'));
    assert.equal(entry.attempts, 2);
    await down.start(port);
    try {
      const a = await run(['learning', 'submit', '--retry'], { cwd: dir, env: cleanEnv() });
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stderr, /1 sent, 0 still queued/);
      const b = await run(['learning', 'submit', '--retry'], { cwd: dir, env: cleanEnv() });
      assert.equal(b.code, 0);
      assert.match(b.stderr, /the outbox is empty/);
      assert.equal(down.submissions().length, 1, 'delivered exactly once');
      const [receipt] = receipts(dir);
      assert.equal(receipt?.sha256, down.submissions()[0]?.sha256);
      assert.equal(receipt?.sha256, entry.sha256, 'the bytes queued are the bytes sent');
      assert.equal(receipt?.answer.fromOutbox, true);
    } finally {
      await down.stop();
    }
  });

  it('two --retry runs at once deliver a queued submission once: the second finds the outbox busy', async () => {
    const down = new TestHub();
    await down.start();
    const port = down.port;
    await down.stop();
    const dir = await projectWithData();
    await grant(dir, down.url);
    assert.equal(
      (await run(['learning', 'submit', '--yes', '--attempts', '1'], { cwd: dir, env: cleanEnv() })).code,
      1,
    );
    await down.start(port);
    try {
      const both = await Promise.all([
        run(['learning', 'submit', '--retry'], { cwd: dir, env: cleanEnv() }),
        run(['learning', 'submit', '--retry'], { cwd: dir, env: cleanEnv() }),
      ]);
      const third = await run(['learning', 'submit', '--retry'], { cwd: dir, env: cleanEnv() });
      assert.equal(down.submissions().length, 1);
      assert.equal(both.filter((r) => /1 sent, 0 still queued/.test(r.stderr)).length, 1);
      assert.ok(
        both.some((r) => /another submit --retry is sending the outbox|the outbox is empty/.test(r.stderr)),
      );
      assert.match(third.stderr, /the outbox is empty/);
      assert.equal(receipts(dir).length, 1);
    } finally {
      await down.stop();
    }
  });

  it('--retry checks queued bytes again: changed bytes, or a destination no longer approved, are not sent', async () => {
    const down = new TestHub();
    await down.start();
    const port = down.port;
    await down.stop();
    const dir = await projectWithData();
    await grant(dir, down.url);
    assert.equal(
      (await run(['learning', 'submit', '--yes', '--attempts', '1'], { cwd: dir, env: cleanEnv() })).code,
      1,
    );
    const bin = readdirSync(pluginFile(dir, 'outbox')).find((f) => f.endsWith('.bin'))!;
    const original = readFileSync(join(pluginFile(dir, 'outbox'), bin));
    writeFileSync(join(pluginFile(dir, 'outbox'), bin), Buffer.concat([original, Buffer.from('x')]));
    await down.start(port);
    try {
      const changed = await run(['learning', 'submit', '--retry'], { cwd: dir, env: cleanEnv() });
      assert.equal(changed.code, 1);
      assert.match(changed.stderr, /not sent: payload does not match its SHA-256/);
      writeFileSync(join(pluginFile(dir, 'outbox'), bin), original);
      const other = await run(['learning', 'submit', '--retry', '--to', 'https://other.example.org'], {
        cwd: dir,
        env: cleanEnv(),
      });
      assert.match(other.stderr, /the outbox is empty for https:\/\/other\.example\.org/);
      const rec = JSON.parse(readFileSync(pluginFile(dir, 'consent'), 'utf8'));
      rec.grants = [];
      writeFileSync(pluginFile(dir, 'consent'), JSON.stringify(rec));
      const revoked = await run(['learning', 'submit', '--retry'], { cwd: dir, env: cleanEnv() });
      assert.match(revoked.stderr, /not sent: this project has not approved sending learning data anywhere/);
      assert.equal(down.submissions().length, 0);
    } finally {
      await down.stop();
    }
  });

  it('refuses an export over the payload cap, naming the sections and k to change', async () => {
    const dir = await projectWithData({ agents: 8, tasks: 400 });
    await grant(dir, hub.url);
    const before = hub.submissions().length;
    const r = await run(['learning', 'submit', '--yes', '--max-bytes', '1024'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /over the 1024-byte cap/);
    assert.match(r.stderr, /--exclude [a-z]+,[a-z]+/);
    assert.match(r.stderr, /--k 10/);
    assert.equal(hub.submissions().length, before);
    const bad = await run(['learning', 'submit', '--max-bytes', '70000'], { cwd: dir, env: cleanEnv() });
    assert.equal(bad.code, 2, 'the cap can only be lowered');
  });
});

describe('consent is bound to the destination', () => {
  const a = new TestHub();
  const b = new TestHub();
  before(async () => {
    await a.start();
    await b.start();
  });
  after(async () => {
    await a.stop();
    await b.stop();
  });

  it('a new destination asks again at a terminal (policy shown), and a yes is recorded and sends', async () => {
    const dir = await projectWithData();
    await grant(dir, a.url);
    const r = await run(['learning', 'submit', '--to', b.url], { cwd: dir, env: cleanEnv(), answers: ['y'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.prompts.length, 1, 'one question, no second confirmation');
    assert.match(r.prompts[0]!, new RegExp(`Approve ${b.url}`));
    assert.match(
      r.stderr,
      new RegExp(`${b.url} \\(from --to\\) is not an approved destination; approved: ${a.url}`),
    );
    assert.match(r.stderr, /privacy policy 2026-11-1/);
    assert.equal(b.submissions().length, 1);
    assert.equal(a.submissions().length, 0);
    const grants = JSON.parse(readFileSync(pluginFile(dir, 'consent'), 'utf8')).grants;
    assert.deepEqual(
      grants.map((g: { destination: string; how: string; via: string }) => [g.destination, g.how, g.via]),
      [
        [a.url, 'yes-flag', 'consent grant'],
        [b.url, 'interactive', 'submit'],
      ],
    );
  });

  it('in CI a new destination, from --to or from the environment, is refused with why and how to approve', async () => {
    const dir = await projectWithData();
    await grant(dir, a.url);
    const before = b.submissions().length;
    for (const [argv, env, source] of [
      [['learning', 'submit', '--yes', '--to', b.url], cleanEnv({ CI: '1' }), '--to'],
      [
        ['learning', 'submit', '--yes'],
        cleanEnv({ CI: '1', TAPPS_LEARNING_SUBMIT_TO: b.url }),
        'TAPPS_LEARNING_SUBMIT_TO',
      ],
    ] as const) {
      const r = await run([...argv], { cwd: dir, env, answers: ['y'] });
      assert.equal(r.code, 4);
      assert.deepEqual(r.prompts, []);
      assert.match(r.stderr, new RegExp(`${b.url} \\(from ${source}\\) is not an approved destination`));
      assert.match(
        r.stderr,
        new RegExp(`To approve this destination: tapps-agents learning consent grant --to ${b.url}`),
      );
    }
    assert.equal(b.submissions().length, before);
  });

  it('an approved destination still asks before each send at a terminal; without one, --yes is needed', async () => {
    const dir = await projectWithData();
    await grant(dir, a.url);
    const before = a.submissions().length;
    const no = await run(['learning', 'submit'], { cwd: dir, env: cleanEnv(), answers: ['n'] });
    assert.equal(no.code, 4);
    assert.match(no.prompts[0] ?? '', /^Send \d+ bytes/);
    const script = await run(['learning', 'submit'], { cwd: dir, env: cleanEnv() });
    assert.equal(script.code, 4);
    assert.match(script.stderr, /Pass --yes/);
    assert.equal(a.submissions().length, before);
  });

  it('a new privacy policy version asks again', async () => {
    const dir = await projectWithData();
    await grant(dir, a.url);
    const path = pluginFile(dir, 'consent');
    const record = JSON.parse(readFileSync(path, 'utf8'));
    record.grants[0].policyVersion = '2025-01-1';
    writeFileSync(path, JSON.stringify(record));
    const r = await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /approved on .* under privacy policy 2025-01-1; the policy is now 2026-11-1/);
  });
});

describe('learning submit to GitHub', () => {
  const gh = new TestGithub();
  before(async () => {
    await gh.start();
  });
  after(async () => {
    await gh.stop();
  });

  it('with a token: creates an issue within the body limit; the payload in it hashes to the receipt', async () => {
    const dir = await projectWithData();
    const env = cleanEnv({ TAPPS_LEARNING_GITHUB_API: gh.url, GITHUB_TOKEN: 'ghp_test' });
    await grant(dir, 'github', env);
    const r = await run(['learning', 'submit', '--yes'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(gh.requests.length, 1);
    const req = gh.requests[0]!;
    assert.equal(req.url, '/repos/wtthornton/TappsCodingAgents/issues');
    assert.equal(req.headers.authorization, 'Bearer ghp_test');
    assert.deepEqual(req.json.labels, ['learning-data']);
    assert.ok(req.json.body.length <= 65_536);
    assert.match(req.json.title, /^Learning data [0-9a-f]{12}: 120 tasks/);
    assert.match(req.json.body, /\| Tasks \/ workflow runs \/ consultations \| 120 \/ 0 \/ 0 \|/);
    const b64 = /```\n([A-Za-z0-9+/=\n]+)\n```/.exec(req.json.body)?.[1]?.replace(/\n/g, '') ?? '';
    const payload = Buffer.from(b64, 'base64');
    const [receipt] = receipts(dir);
    assert.equal(receipt?.sha256, sha(payload), 'receipt hash = SHA-256 of the export inside the issue');
    assert.equal(receipt?.answer.requestSha256, req.sha256, 'and of the whole request the server received');
    assert.equal(receipt?.transport, 'github-api');
    assert.equal(r.stdout.trim(), 'https://github.com/wtthornton/TappsCodingAgents/issues/1');
    assert.doesNotMatch(r.stderr + r.stdout, /ghp_test/, 'the token is never printed');
  });

  it('a changed API base is a different destination: approved github, then TAPPS_LEARNING_GITHUB_API elsewhere, refused', async () => {
    const dir = await projectWithData();
    await grant(dir, 'github');
    const before = gh.requests.length;
    const r = await run(['learning', 'submit', '--yes'], {
      cwd: dir,
      env: cleanEnv({ TAPPS_LEARNING_GITHUB_API: gh.url, GITHUB_TOKEN: 'ghp_test' }),
    });
    assert.equal(r.code, 4);
    assert.match(
      r.stderr,
      new RegExp(
        `github:wtthornton/tappscodingagents via ${gh.url} \\(from the consent record\\) is not an approved destination`,
      ),
    );
    assert.match(
      r.stderr,
      new RegExp(`TAPPS_LEARNING_GITHUB_API=${gh.url} tapps-agents learning consent grant --to github`),
    );
    assert.equal(gh.requests.length, before);
  });

  it('explains GitHub refusals (401) without retrying', async () => {
    const dir = await projectWithData();
    const env = cleanEnv({ TAPPS_LEARNING_GITHUB_API: gh.url, GITHUB_TOKEN: 'ghp_bad' });
    await grant(dir, 'github:acme/feedback', env);
    const before = gh.requests.length;
    gh.script.push({ status: 401, body: JSON.stringify({ message: 'Bad credentials' }) });
    const r = await run(['learning', 'submit', '--yes', '--to', 'github:acme/feedback'], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /GitHub refused the token \(401\) \(GitHub: Bad credentials\): check that GITHUB_TOKEN is valid/,
    );
    assert.equal(gh.requests.length - before, 1);
  });

  it('without a token: prints a prefilled new-issue URL under 8 KB and writes the file to attach, with no network at all', async () => {
    const dir = await projectWithData();
    await grant(dir, 'github');
    const guard = guardEgress({ processes: 'allow' });
    let r: Awaited<ReturnType<typeof run>>;
    try {
      r = await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() });
    } finally {
      guard.restore();
    }
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(guard.network(), []);
    const url = r.stdout.trim();
    assert.ok(
      url.startsWith('https://github.com/wtthornton/TappsCodingAgents/issues/new?title='),
      url.slice(0, 80),
    );
    assert.ok(url.length < 8_192, `${url.length} bytes`);
    const [receipt] = receipts(dir);
    assert.equal(receipt?.outcome, 'prefilled');
    assert.equal(receipt?.answer.urlLength, url.length);
    const attachment = readFileSync(receipt?.answer.path ?? '');
    assert.equal(sha(attachment), receipt?.sha256);
    const body = new URL(url).searchParams.get('body') ?? '';
    const inline = /```\n([A-Za-z0-9+/=\n]+)\n```/.exec(body)?.[1];
    if (inline) assert.equal(sha(Buffer.from(inline.replace(/\n/g, ''), 'base64')), receipt?.sha256);
    else assert.match(body, /Attach `learning-/);
  });
});

describe('learning submit as a bundle (file:)', () => {
  it('writes a folder with the export, a README and a manifest of hashes; needs no consent; never overwrites', async () => {
    const dir = await projectWithData();
    const r = await run(['learning', 'submit', '--to', 'file:bundle'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(join(dir, 'bundle')).sort();
    assert.equal(files.length, 3);
    const manifest = JSON.parse(readFileSync(join(dir, 'bundle', 'manifest.json'), 'utf8'));
    for (const f of manifest.files)
      assert.equal(sha(readFileSync(join(dir, 'bundle', f.name))), f.sha256, f.name);
    assert.equal(manifest.sha256, receipts(dir)[0]?.sha256);
    const again = await run(['learning', 'submit', '--to', 'file:bundle', '--resend'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /bundle is not empty/);
  });

  it('writes a .tar.gz archive whose export entry hashes to the receipt', async () => {
    const dir = await projectWithData();
    const r = await run(['learning', 'submit', '--to', 'file:out/learning.tar.gz'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(r.code, 0, r.stderr);
    const tarball = gunzipSync(readFileSync(join(dir, 'out', 'learning.tar.gz')));
    const entries = new Map<string, Buffer>();
    for (let off = 0; off + 512 <= tarball.length; ) {
      const name = tarball
        .subarray(off, off + 100)
        .toString('ascii')
        .replace(/\0.*$/s, '');
      if (name === '') break;
      const size = Number.parseInt(tarball.subarray(off + 124, off + 136).toString('ascii'), 8);
      entries.set(name, tarball.subarray(off + 512, off + 512 + size));
      off += 512 + Math.ceil(size / 512) * 512;
    }
    assert.equal(entries.size, 3);
    assert.ok(entries.has('manifest.json') && entries.has('README.txt'));
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    for (const f of manifest.files) assert.equal(sha(entries.get(f.name)!), f.sha256, f.name);
    const exportName = [...entries.keys()].find((n) => n.endsWith('.json.gz'))!;
    assert.equal(sha(entries.get(exportName)!), receipts(dir)[0]?.sha256);
  });

  it('is still refused by DO_NOT_TRACK (it prepares a submission)', async () => {
    const dir = await projectWithData();
    const r = await run(['learning', 'submit', '--to', 'file:bundle'], {
      cwd: dir,
      env: cleanEnv({ DO_NOT_TRACK: '1' }),
    });
    assert.equal(r.code, 4);
    assert.equal(existsSync(join(dir, 'bundle')), false);
  });
});

describe('learning submit usage errors', () => {
  it('says what is wrong and where', async () => {
    const dir = await projectWithData({ tasks: 0 });
    mkdirSync(join(dir, 'sub'));
    for (const [argv, pattern] of [
      [
        ['--to', 'ftp://x'],
        /--to: unknown destination "ftp:\/\/x"; use file:PATH, github, github:OWNER\/REPO/,
      ],
      [
        ['--to', 'http://hub.example.org'],
        /plain http:\/\/ is allowed only for this machine \(localhost\); use https:\/\/ for hub\.example\.org/,
      ],
      [['--to', 'https://user:pw@hub.example.org'], /carries a user name or password/],
      [['--to', 'github:not a repo'], /is not github:OWNER\/REPO/],
      [['--k', '0'], /--k must be a whole number from 1 to 1000/],
      [['--exclude', 'nope'], /--exclude: unknown section\(s\) nope/],
      [['--retry', '--dry-run'], /cannot be combined with --dry-run/],
      [['--attempts', '11'], /--attempts must be a whole number from 1 to 10/],
    ] as const) {
      const r = await run(['learning', 'submit', ...argv], { cwd: join(dir, 'sub'), env: cleanEnv() });
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
    }
    const badApi = await run(['learning', 'submit', '--dry-run'], {
      cwd: dir,
      env: cleanEnv({ TAPPS_LEARNING_GITHUB_API: 'ftp://x' }),
    });
    assert.equal(badApi.code, 2);
    assert.match(badApi.stderr, /TAPPS_LEARNING_GITHUB_API: ftp: URLs are not supported/);
  });

  it('asks for --to when several destinations are approved', async () => {
    const dir = await projectWithData({ tasks: 0 });
    await grant(dir, 'https://hub-a.example.org');
    await grant(dir, 'https://hub-b.example.org');
    const r = await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /several destinations are approved \(https:\/\/hub-a\.example\.org, https:\/\/hub-b\.example\.org\); choose one with --to/,
    );
  });
});
