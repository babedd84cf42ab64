import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pluginDir, pluginFile } from '../../lib/files/plugin-dir.ts';
import { TestHub } from '../submit/support/hub-server.ts';
import { cleanEnv, projectWithData } from '../submit/support/project.ts';
import { run } from '../submit/support/tty.ts';

const consentOf = (dir: string) => JSON.parse(readFileSync(pluginFile(dir, 'consent'), 'utf8'));

describe('learning consent status', () => {
  it('shows the policy version, no destination, and that nothing is sent, as text and JSON', async () => {
    const dir = await projectWithData({ tasks: 0 });
    const r = await run(['learning', 'consent', 'status'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /privacy policy: 2026-11-1/);
    assert.match(r.stderr, /approved destinations: none \(nothing is sent/);
    assert.match(r.stderr, /this run has no terminal/);
    const j = await run(['learning', 'consent', 'status', '--json'], {
      cwd: dir,
      env: cleanEnv({ CI: 'true' }),
    });
    const s = JSON.parse(j.stdout);
    assert.equal(s.policyVersion, '2026-11-1');
    assert.equal(s.record, 'none');
    assert.deepEqual(s.approved, []);
    assert.equal(s.ci, true);
    assert.deepEqual(s.submission, { allowed: true });
  });

  it('shows each approved destination with when and how, and what the committed config restricts', async () => {
    const dir = await projectWithData({ tasks: 0 });
    writeFileSync(
      join(dir, 'tapps-agents.config.json'),
      JSON.stringify({
        learning: {
          k: 2,
          sensitiveTerms: ['Globex'],
          submit: { k: 20, epsilon: 0.5, sections: ['capabilities', 'workflows', 'health'] },
        },
      }),
    );
    await run(['learning', 'consent', 'grant', '--to', 'https://hub.example.org', '--yes'], {
      cwd: dir,
      env: cleanEnv(),
    });
    await run(['learning', 'consent', 'grant', '--to', 'github:acme/feedback'], {
      cwd: dir,
      env: cleanEnv(),
      answers: ['y'],
    });
    const r = await run(['learning', 'consent', 'status'], { cwd: dir, env: cleanEnv() });
    assert.match(
      r.stderr,
      /https:\/\/hub\.example\.org: approved \S+ with --yes \(consent grant\), policy 2026-11-1/,
    );
    assert.match(
      r.stderr,
      /github:acme\/feedback: approved \S+ at a terminal prompt \(consent grant\), policy 2026-11-1/,
    );
    assert.match(
      r.stderr,
      /sections left out of every submission: experts, patterns, decisions, security, failures, effectiveness/,
    );
    assert.match(r.stderr, /k raised to 20/);
    assert.match(r.stderr, /Laplace noise on counts, epsilon 0\.5/);
    assert.match(r.stderr, /ignored: learning\.k: 2 is below the minimum 5/);
    const j = JSON.parse(
      (await run(['learning', 'consent', 'status', '--json'], { cwd: dir, env: cleanEnv() })).stdout,
    );
    assert.deepEqual(
      j.approved.map((g: { destination: string; how: string }) => [g.destination, g.how]),
      [
        ['https://hub.example.org', 'yes-flag'],
        ['github:acme/feedback', 'interactive'],
      ],
    );
    assert.match(r.stderr, /1 sensitive term\(s\) the privacy gate refuses/);
    assert.equal(j.config.restricts.length, 4);
  });

  it('says which setting turns submission off', async () => {
    const dir = await projectWithData({ tasks: 0 });
    writeFileSync(join(dir, 'tapps-agents.config.json'), JSON.stringify({ learning: { submit: false } }));
    const r = await run(['learning', 'consent', 'status', '--json'], { cwd: dir, env: cleanEnv() });
    const s = JSON.parse(r.stdout);
    assert.equal(s.submission.allowed, false);
    assert.equal(s.submission.refusedBy, 'learning: { submit: false }');
    assert.match(s.submission.where, /tapps-agents\.config\.json$/);
    const dnt = JSON.parse(
      (
        await run(['learning', 'consent', 'status', '--json'], {
          cwd: dir,
          env: cleanEnv({ DO_NOT_TRACK: '1' }),
        })
      ).stdout,
    );
    assert.equal(dnt.submission.refusedBy, 'DO_NOT_TRACK=1', 'the environment is named first');
    const zero = JSON.parse(
      (
        await run(['learning', 'consent', 'status', '--json'], {
          cwd: dir,
          env: cleanEnv({ DO_NOT_TRACK: '0' }),
        })
      ).stdout,
    );
    assert.equal(
      zero.submission.refusedBy,
      'learning: { submit: false }',
      'DO_NOT_TRACK=0 neither disables nor enables',
    );
  });
});

describe('learning consent grant', () => {
  it('shows the versioned policy and records how the yes was given, locally and privately', async () => {
    const dir = await projectWithData({ tasks: 0 });
    const r = await run(['learning', 'consent', 'grant', '--to', 'https://hub.example.org/'], {
      cwd: dir,
      env: cleanEnv(),
      answers: ['y'],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /privacy policy 2026-11-1\nWhat is shared/);
    assert.match(r.stderr, /Destination: the learning hub at https:\/\/hub\.example\.org/);
    assert.match(r.stderr, /Nothing was sent/);
    const c = consentOf(dir);
    assert.equal(c.grants.length, 1);
    assert.deepEqual(
      { ...c.grants[0], grantedAt: undefined },
      {
        destination: 'https://hub.example.org',
        how: 'interactive',
        via: 'consent grant',
        policyVersion: '2026-11-1',
        grantedAt: undefined,
      },
    );
    assert.equal(statSync(pluginFile(dir, 'consent')).mode & 0o077, 0, 'mode 0600');
    assert.equal(
      readFileSync(join(pluginDir(dir), '.gitignore'), 'utf8').includes('*'),
      true,
      'never committed',
    );
    const again = await run(['learning', 'consent', 'grant', '--to', 'https://HUB.example.org:443'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(again.code, 0);
    assert.match(again.stderr, /already approved/);
  });

  it('never prompts without a terminal: refuses unless --yes, which is recorded as such', async () => {
    const dir = await projectWithData({ tasks: 0 });
    const no = await run(['learning', 'consent', 'grant'], { cwd: dir, env: cleanEnv() });
    assert.equal(no.code, 4);
    assert.match(no.stderr, /no terminal to ask .* pass --yes/);
    assert.equal(existsSync(pluginFile(dir, 'consent')), false);
    const ci = await run(['learning', 'consent', 'grant'], {
      cwd: dir,
      env: cleanEnv({ CI: 'true' }),
      answers: ['y'],
    });
    assert.equal(ci.code, 4);
    assert.deepEqual(ci.prompts, []);
    const yes = await run(['learning', 'consent', 'grant', '--yes'], {
      cwd: dir,
      env: cleanEnv({ CI: 'true' }),
    });
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stderr, /What is never shared/, 'the policy is shown with --yes too');
    assert.equal(consentOf(dir).grants[0].destination, 'github:wtthornton/tappscodingagents');
    assert.equal(consentOf(dir).grants[0].how, 'yes-flag');
  });

  it('a bundle needs no consent', async () => {
    const dir = await projectWithData({ tasks: 0 });
    const r = await run(['learning', 'consent', 'grant', '--to', 'file:x'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /needs no consent/);
  });

  it('ignores a consent record copied from another project, and says so', async () => {
    const a = await projectWithData({ tasks: 0 });
    const b = await projectWithData({ tasks: 0 });
    await run(['learning', 'consent', 'grant', '--to', 'https://hub.example.org', '--yes'], {
      cwd: a,
      env: cleanEnv(),
    });
    await run(['learning', 'consent', 'status'], { cwd: b, env: cleanEnv() });
    copyFileSync(pluginFile(a, 'consent'), pluginFile(b, 'consent'));
    const s = await run(['learning', 'consent', 'status', '--json'], { cwd: b, env: cleanEnv() });
    const status = JSON.parse(s.stdout);
    assert.equal(status.record, 'foreign');
    assert.deepEqual(status.approved, []);
    const submit = await run(['learning', 'submit', '--yes', '--to', 'https://hub.example.org'], {
      cwd: b,
      env: cleanEnv(),
    });
    assert.equal(submit.code, 4);
    assert.match(submit.stderr, /is ignored: it was made in another folder or on another machine/);
    const g = await run(['learning', 'consent', 'grant', '--to', 'https://hub.example.org', '--yes'], {
      cwd: b,
      env: cleanEnv(),
    });
    assert.equal(g.code, 0);
    assert.ok(
      readdirSync(pluginDir(b)).some((f) => /^consent\.foreign-.*\.json$/.test(f)),
      'the foreign file is set aside, not destroyed',
    );
  });
});

describe('learning consent revoke', () => {
  const hub = new TestHub();
  before(async () => {
    await hub.start();
  });
  after(async () => {
    await hub.stop();
  });

  async function submitted(): Promise<string> {
    const dir = await projectWithData();
    await run(['learning', 'consent', 'grant', '--to', hub.url, '--yes'], { cwd: dir, env: cleanEnv() });
    const r = await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    return dir;
  }

  it('without a terminal: revokes, drops queued submissions, sends nothing, and says how to wipe and delete', async () => {
    const dir = await submitted();
    const before = hub.received.length;
    const r = await run(['learning', 'consent', 'revoke'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /revoked: http:\/\/127\.0\.0\.1:\d+\. Nothing more will be sent there, and nothing was sent about this/,
    );
    assert.match(r.stderr, /consent revoke --delete-remote/);
    assert.match(r.stderr, /consent revoke --wipe/);
    assert.equal(hub.received.length, before, 'no request of any kind');
    const c = consentOf(dir);
    assert.deepEqual(c.grants, []);
    assert.equal(c.revocations.length, 1);
    assert.equal(c.hubs.length, 1, 'the deletion key is kept for later');
    assert.ok(existsSync(pluginFile(dir, 'state')), 'local data kept');
  });

  it('--delete-remote --wipe: the hub deletes the project (with its deletion key) and local data is gone', async () => {
    const dir = await submitted();
    const projectId = consentOf(dir).hubs[0].projectId;
    const r = await run(['learning', 'consent', 'revoke', '--delete-remote', '--wipe'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(hub.deleted.includes(projectId));
    const del = hub.received.at(-1)!;
    assert.equal(del.method, 'DELETE');
    assert.equal(del.url, `/v1/projects/${projectId}`);
    assert.match(r.stderr, /deleted the submissions of project/);
    assert.deepEqual(consentOf(dir).hubs, []);
    for (const f of ['state', 'secret', 'receipts'] as const)
      assert.equal(existsSync(pluginFile(dir, f)), false, f);
    assert.ok(existsSync(pluginFile(dir, 'consent')), 'the revocation itself is kept');
  });

  it('at a terminal: offers both, and does what was answered', async () => {
    const dir = await submitted();
    const before = hub.received.length;
    const r = await run(['learning', 'consent', 'revoke'], {
      cwd: dir,
      env: cleanEnv(),
      answers: ['y', 'n'],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.prompts.length, 2);
    assert.match(r.prompts[0]!, /^Ask http:\/\/127\.0\.0\.1:\d+ to delete the submissions of this project/);
    assert.match(r.prompts[1]!, /^Also delete the local learning data/);
    assert.equal(hub.received.length, before + 1);
    assert.ok(existsSync(pluginFile(dir, 'state')), 'declined the wipe');
  });

  it('can delete even when the answer to the first submission was lost (the project offers its own deletion token)', async () => {
    const dir = await projectWithData();
    await run(['learning', 'consent', 'grant', '--to', hub.url, '--yes'], { cwd: dir, env: cleanEnv() });
    hub.script.push({ status: 503, afterStore: true });
    const r = await run(['learning', 'submit', '--yes', '--attempts', '2'], { cwd: dir, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /already had this export/, 'the retry was answered "duplicate", without a token');
    const { projectId, deletionToken } = consentOf(dir).hubs[0];
    assert.equal(hub.tokens.get(projectId), deletionToken);
    const del = await run(['learning', 'consent', 'revoke', '--delete-remote', '--no-wipe'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(del.code, 0, del.stderr);
    assert.ok(hub.deleted.includes(projectId));
  });

  it('keeps the deletion key when the hub refuses the deletion, and exits 1', async () => {
    const dir = await submitted();
    hub.script.push({ status: 403, body: JSON.stringify({ error: { type: 'bad-token', message: 'no' } }) });
    const r = await run(['learning', 'consent', 'revoke', '--delete-remote', '--no-wipe'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refused \(403 bad-token\): no\. The deletion key was kept/);
    assert.equal(consentOf(dir).hubs.length, 1);
  });

  it('--to revokes one destination and keeps the others', async () => {
    const dir = await projectWithData({ tasks: 0 });
    for (const to of ['https://a.example.org', 'https://b.example.org'])
      await run(['learning', 'consent', 'grant', '--to', to, '--yes'], { cwd: dir, env: cleanEnv() });
    const r = await run(['learning', 'consent', 'revoke', '--to', 'https://a.example.org'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(r.code, 0);
    assert.deepEqual(
      consentOf(dir).grants.map((g: { destination: string }) => g.destination),
      ['https://b.example.org'],
    );
  });
});
