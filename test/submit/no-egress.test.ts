import './support/quiet-process-env.ts';
import assert from 'node:assert/strict';
import { execFile as namedExecFile } from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { gunzipSync } from 'node:zlib';
import { pluginFile } from '../../lib/files/plugin-dir.ts';
import { HOSTILE_KINDS, hostileRepo } from '../fixtures-hostile/generate.ts';
import { type EgressGuard, guardEgress } from './support/egress-guard.ts';
import { TestHub } from './support/hub-server.ts';
import { cleanEnv, projectWithData } from './support/project.ts';
import { run } from './support/tty.ts';

/**
 * Issue 6 and 10, "done when": nothing reaches the network (no socket, no lookup, no request, no
 * child process) in the default, declined, CI, DO_NOT_TRACK, TAPPS_LEARNING_DISABLED and
 * config-disabled paths, nor for any hostile repository; each says clearly why.
 */

async function guarded<T>(fn: () => Promise<T>): Promise<{ result: T; guard: EgressGuard }> {
  const guard = guardEgress();
  try {
    return { result: await fn(), guard };
  } finally {
    guard.restore();
  }
}

function none(guard: EgressGuard, what: string): void {
  assert.deepEqual(
    guard.attempts,
    [],
    `${what}: expected no egress at all, saw ${JSON.stringify(guard.attempts)}`,
  );
}

const counts: Record<string, number> = {};
after(() => {
  process.stdout.write(`# egress attempts per path: ${JSON.stringify(counts)}\n`);
});

describe('the guard sees every way out (so a zero below means something)', () => {
  it('records and blocks fetch, http, https, net, tls, dns, dgram and child processes, also through ESM named imports', async () => {
    const guard = guardEgress();
    try {
      await assert.rejects(fetch('http://127.0.0.1:9/'));
      assert.throws(() => http.request('http://127.0.0.1:9/'));
      assert.throws(() => https.get('https://example.org/'));
      assert.throws(() => net.connect(9, '127.0.0.1'));
      assert.throws(() => tls.connect(443, 'example.org'));
      assert.throws(() => dns.lookup('example.org', () => {}));
      await assert.rejects(async () => dns.promises.lookup('example.org'));
      assert.throws(() => dgram.createSocket('udp4'));
      assert.throws(() => namedExecFile('git', ['--version']));
    } finally {
      guard.restore();
    }
    const kinds = guard.attempts.map((a) => a.kind);
    for (const k of [
      'fetch',
      'http.request',
      'https.get',
      'net.Socket.connect',
      'tls.connect',
      'dns.lookup',
      'dns.promises.lookup',
      'dgram.createSocket',
      'child_process.execFile',
    ])
      assert.ok(kinds.includes(k), `${k} recorded: ${kinds.join(', ')}`);
  });

  it('sees the connection of a real submission (positive control)', async () => {
    const dir = await projectWithData();
    const granted = await run(['learning', 'consent', 'grant', '--to', 'http://127.0.0.1:9', '--yes'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(granted.code, 0, granted.stderr);
    const guard = guardEgress({ processes: 'allow' });
    try {
      const r = await run(['learning', 'submit', '--yes', '--attempts', '1'], { cwd: dir, env: cleanEnv() });
      assert.equal(r.code, 1, 'blocked, so queued');
    } finally {
      guard.restore();
    }
    assert.ok(guard.network().length > 0, 'the send was seen');
  });
});

describe('zero egress when submission is not allowed', () => {
  const hub = new TestHub();
  before(async () => {
    await hub.start();
  });
  after(async () => {
    await hub.stop();
  });

  it('default: no consent, no terminal: refused with the command that approves, nothing sent', async () => {
    const dir = await projectWithData();
    const { result, guard } = await guarded(() => run(['learning', 'submit'], { cwd: dir, env: cleanEnv() }));
    counts.default = guard.attempts.length;
    none(guard, 'default');
    assert.equal(result.code, 4);
    assert.match(result.stderr, /has not approved sending learning data anywhere/);
    assert.match(result.stderr, /tapps-agents learning consent grant --to github/);
    assert.equal(existsSync(pluginFile(dir, 'receipts')), false);
  });

  it('declined at the terminal: submit and consent grant both send nothing and record nothing', async () => {
    const dir = await projectWithData();
    const { result, guard } = await guarded(async () => {
      const a = await run(['learning', 'submit', '--to', hub.url], {
        cwd: dir,
        env: cleanEnv(),
        answers: ['n'],
      });
      const b = await run(['learning', 'consent', 'grant', '--to', hub.url], {
        cwd: dir,
        env: cleanEnv(),
        answers: ['no'],
      });
      return [a, b];
    });
    counts.declined = guard.attempts.length;
    none(guard, 'declined');
    const [a, b] = result;
    assert.equal(a?.code, 4);
    assert.equal(a?.prompts.length, 1, 'asked once');
    assert.match(a?.stderr ?? '', /privacy policy 2026-11-1/);
    assert.match(a?.stderr ?? '', /not approved; nothing was recorded and nothing was sent/);
    assert.equal(b?.code, 4);
    assert.equal(existsSync(pluginFile(dir, 'consent')), false, 'no consent file after declining');
    assert.equal(hub.received.length, 0);
  });

  it('CI: a terminal is present but CI=true: never asks, refuses', async () => {
    const dir = await projectWithData();
    const { result, guard } = await guarded(() =>
      run(['learning', 'submit', '--to', hub.url], {
        cwd: dir,
        env: cleanEnv({ CI: 'true' }),
        answers: ['y'],
      }),
    );
    counts.ci = guard.attempts.length;
    none(guard, 'CI');
    assert.equal(result.code, 4);
    assert.deepEqual(result.prompts, [], 'no prompt in CI');
    assert.match(result.stderr, /no terminal to ask \(CI, a script or a pipe\)/);
  });

  for (const [name, env] of [
    ['DO_NOT_TRACK', { DO_NOT_TRACK: '1' }],
    ['TAPPS_LEARNING_DISABLED', { TAPPS_LEARNING_DISABLED: 'true' }],
  ] as const) {
    it(`${name}: wins over a granted consent, --yes and --retry`, async () => {
      const dir = await projectWithData();
      const granted = await run(['learning', 'consent', 'grant', '--to', hub.url, '--yes'], {
        cwd: dir,
        env: cleanEnv(),
      });
      assert.equal(granted.code, 0, granted.stderr);
      const { result, guard } = await guarded(async () => [
        await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv(env) }),
        await run(['learning', 'submit', '--retry'], { cwd: dir, env: cleanEnv(env) }),
        await run(['learning', 'consent', 'grant', '--to', 'github', '--yes'], {
          cwd: dir,
          env: cleanEnv(env),
        }),
      ]);
      counts[name] = guard.attempts.length;
      none(guard, name);
      for (const r of result) {
        assert.equal(r.code, 4);
        assert.match(r.stderr, new RegExp(`refused: ${name}=`));
      }
      assert.equal(hub.received.length, 0);
    });
  }

  it('config-disabled: learning: { submit: false } in the committed config wins, and the message names the file', async () => {
    const dir = await projectWithData();
    const granted = await run(['learning', 'consent', 'grant', '--to', hub.url, '--yes'], {
      cwd: dir,
      env: cleanEnv(),
    });
    assert.equal(granted.code, 0, granted.stderr);
    writeFileSync(join(dir, 'tapps-agents.config.json'), JSON.stringify({ learning: { submit: false } }));
    const { result, guard } = await guarded(() =>
      run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() }),
    );
    counts.configDisabled = guard.attempts.length;
    none(guard, 'config-disabled');
    assert.equal(result.code, 4);
    assert.match(result.stderr, /learning: \{ submit: false \} in .*tapps-agents\.config\.json/);
  });

  it('revoking sends nothing (no opt-out ping, no deletion request unless asked)', async () => {
    const dir = await projectWithData();
    await run(['learning', 'consent', 'grant', '--to', hub.url, '--yes'], { cwd: dir, env: cleanEnv() });
    const sent = await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() });
    assert.equal(sent.code, 0, sent.stderr);
    const before = hub.received.length;
    const { result, guard } = await guarded(async () => [
      await run(['learning', 'consent', 'revoke'], { cwd: dir, env: cleanEnv(), answers: ['n', 'n'] }),
      await run(['learning', 'submit', '--yes'], { cwd: dir, env: cleanEnv() }),
    ]);
    counts.revoked = guard.attempts.length;
    none(guard, 'revoke');
    assert.equal(result[0]?.code, 0);
    assert.equal(result[0]?.prompts.length, 2, 'offered deletion and wipe');
    assert.equal(result[1]?.code, 4);
    assert.equal(hub.received.length, before);
  });

  it('dry run: no network at all (only the gate reading git config locally)', async () => {
    const dir = await projectWithData();
    const guard = guardEgress({ processes: 'allow' });
    let r: Awaited<ReturnType<typeof run>>;
    try {
      r = await run(['learning', 'submit', '--to', hub.url, '--dry-run'], { cwd: dir, env: cleanEnv() });
    } finally {
      guard.restore();
    }
    counts.dryRunNetwork = guard.network().length;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(guard.network(), []);
    for (const p of guard.processes()) assert.match(p.detail, /"git",\["config"/, 'only git config reads');
    assert.match(r.stdout, /^# sha256: [0-9a-f]{64}$/m);
  });
});

describe('hostile repositories (issue 10): a cloned repo can restrict sending, never enable or redirect it', () => {
  before(async () => {
    // A .ts config is compiled by esbuild, whose sync API runs in a worker thread started once per
    // process. Start it here, outside the guard: the compiler is the host's, not a way out.
    const warm = await projectWithData({ tasks: 0 });
    writeFileSync(join(warm, 'tapps-agents.config.ts'), 'export default {};\n');
    await run(['learning', 'consent', 'status'], { cwd: warm, env: cleanEnv() });
  });

  for (const kind of HOSTILE_KINDS) {
    it(`${kind}: zero egress and a clear message`, async () => {
      const attacker = 'http://127.0.0.1:9';
      const h = hostileRepo(kind, attacker);
      const live = kind === 'env-module';
      const saved = { ...process.env };
      const env = live ? process.env : cleanEnv();
      const { result, guard } = await guarded(async () => {
        try {
          return [
            await run(['learning', 'submit', '--yes'], { cwd: h.dir, env }),
            await run(['learning', 'submit', '--retry'], { cwd: h.dir, env }),
            await run(['learning', 'consent', 'revoke', '--delete-remote'], { cwd: h.dir, env }),
          ];
        } finally {
          for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
          Object.assign(process.env, saved);
        }
      });
      counts[`hostile:${kind}`] = guard.attempts.length;
      none(guard, kind);
      const [submit, retry] = result;
      const text = result.map((r) => r.stderr).join('\n');
      switch (kind) {
        case 'enable-submission':
        case 'config-endpoint':
          assert.equal(submit?.code, 2);
          assert.match(text, /learning\.submit: may only turn submission off \(false\) or narrow it/);
          break;
        case 'top-level-destination':
          assert.equal(submit?.code, 2);
          assert.match(text, /submitTo: unknown key/);
          break;
        case 'weaken-privacy':
          assert.equal(submit?.code, 4);
          assert.match(text, /has not approved sending learning data anywhere/);
          break;
        case 'env-module':
          assert.equal(submit?.code, 4);
          assert.match(
            submit?.stderr ?? '',
            /refused: .*TAPPS_LEARNING_GITHUB_API.*changed while .*tapps-agents\.config\.ts was loading/,
          );
          assert.equal(retry?.code, 4);
          break;
        case 'committed-consent':
          assert.equal(submit?.code, 4);
          assert.match(
            text,
            /consent record .* is ignored: it was made in another folder or on another machine/,
          );
          assert.match(
            retry?.stderr ?? '',
            /not sent: it was queued in another folder or on another machine/,
          );
          break;
      }
    });
  }
});

describe('hostile repositories with a user who did approve sending', () => {
  it('env-module: the user approved github; the config points the API elsewhere: refused, zero egress', async () => {
    const h = hostileRepo('env-module', 'http://127.0.0.1:9');
    // The user approved the framework's repository, in their own shell (the config's env change is undone after loading).
    const saved = { ...process.env };
    const restore = () => {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    };
    const granted = await run(['learning', 'consent', 'grant', '--to', 'github', '--yes'], {
      cwd: h.dir,
      env: cleanEnv(),
    });
    assert.equal(granted.code, 0, granted.stderr);
    const { result, guard } = await guarded(async () => {
      try {
        return await run(['learning', 'submit', '--yes'], { cwd: h.dir, env: process.env });
      } finally {
        restore();
      }
    });
    counts['hostile:env-module+consent'] = guard.attempts.length;
    none(guard, 'env-module with consent');
    assert.equal(result.code, 4);
    assert.match(result.stderr, /TAPPS_LEARNING_GITHUB_API.*changed while/);
  });

  it('weaken-privacy: k from the config is ignored below 5; status says so', async () => {
    const h = hostileRepo('weaken-privacy', 'http://127.0.0.1:9');
    const dry = await run(['learning', 'submit', '--dry-run', '--to', 'file:x'], {
      cwd: h.dir,
      env: cleanEnv(),
    });
    assert.equal(dry.code, 0, dry.stderr);
    const b64 = dry.stdout
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .join('');
    const doc = JSON.parse(gunzipSync(Buffer.from(b64, 'base64')).toString('utf8'));
    assert.equal(doc.metadata.privacy.k, 5);
    const status = await run(['learning', 'consent', 'status'], { cwd: h.dir, env: cleanEnv() });
    assert.match(status.stderr, /ignored: learning\.k: 1 is below the minimum 5/);
  });
});
