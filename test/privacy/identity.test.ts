import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gate } from '../../lib/privacy/gate.ts';
import {
  EMPTY_IDENTITY,
  hostForms,
  type IdentityIO,
  type MachineIdentity,
  machineIdentity,
  remoteParts,
} from '../../lib/privacy/identity.ts';
import { createIdentityMatcher, identityTerms } from '../../lib/privacy/identity-match.ts';
import { tempDir } from '../temp-dir.ts';

function fakeIO(over: Partial<IdentityIO> = {}, git: Record<string, string> = {}): IdentityIO {
  return {
    userName: () => 'marta',
    homeDir: () => '/home/marta',
    hostName: () => 'zephyr-ws14.nordwind.lan',
    env: {},
    git: async (args) => git[args.join(' ')],
    ...over,
  };
}

test('machineIdentity reads user, host, git and remotes through its IO', async () => {
  const id = await machineIdentity(
    '/work/lumen-ledger',
    fakeIO(
      { env: { USER: 'marta', LOGNAME: 'mk', GIT_AUTHOR_EMAIL: 'mk@nordwind-labs.eu' } },
      {
        'config --get user.name': 'Marta Kowalczyk',
        'config --get user.email': 'marta.k@nordwind-labs.eu',
        'config --get-regexp ^remote\\..*\\.url$':
          'remote.origin.url git@gitlab.nordwind.internal:nordwind-labs/lumen-ledger.git\nremote.gh.url https://github.com/nordwind/lumen.git',
      },
    ),
  );
  assert.deepEqual(id.userNames, ['marta', 'mk']);
  assert.deepEqual(id.homeDirs, ['/home/marta']);
  assert.deepEqual(id.hostNames, ['zephyr-ws14.nordwind.lan', 'zephyr-ws14', 'nordwind.lan']);
  assert.deepEqual(id.gitUserNames, ['Marta Kowalczyk']);
  assert.deepEqual(id.gitEmails, ['marta.k@nordwind-labs.eu', 'mk@nordwind-labs.eu']);
  assert.deepEqual(id.projectFolders, ['lumen-ledger']);
  assert.equal(id.gitRemotes.length, 2);
  assert.deepEqual(id.remoteParts, [
    'nordwind-labs',
    'lumen-ledger',
    'nordwind-labs/lumen-ledger',
    'gitlab.nordwind.internal',
    'nordwind',
    'lumen',
    'nordwind/lumen',
  ]);
});

test('machineIdentity tolerates a machine without git and without a user', async () => {
  const id = await machineIdentity(
    '/srv/x',
    fakeIO({ userName: () => undefined, homeDir: () => undefined, hostName: () => undefined }),
  );
  assert.deepEqual({ ...id, projectFolders: [] }, EMPTY_IDENTITY);
  assert.deepEqual(id.projectFolders, ['x']);
});

test('machineIdentity on this machine: a temp git repository with a remote, and a folder without git', async (t) => {
  const dir = tempDir('gate-identity-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const repo = join(dir, 'orbit-payments');
  mkdirSync(repo);
  let git = true;
  try {
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['config', 'user.name', 'Quinn Example'], { cwd: repo });
    execFileSync('git', ['config', 'user.email', 'quinn@orbit.example'], { cwd: repo });
    execFileSync('git', ['remote', 'add', 'origin', 'https://git.orbit.example/team-q/orbit-payments.git'], {
      cwd: repo,
    });
  } catch {
    git = false;
  }
  const id = await machineIdentity(repo);
  assert.deepEqual(id.projectFolders, ['orbit-payments']);
  assert.ok(id.hostNames.length >= 1);
  if (git) {
    assert.ok(id.gitUserNames.includes('Quinn Example'));
    assert.ok(id.gitEmails.includes('quinn@orbit.example'));
    assert.deepEqual(id.gitRemotes, ['https://git.orbit.example/team-q/orbit-payments.git']);
    assert.ok(id.remoteParts.includes('team-q') && id.remoteParts.includes('git.orbit.example'));
  } else {
    t.diagnostic('git is not installed: only the no-git path was exercised');
  }
  const plain = join(dir, 'no-git-here');
  mkdirSync(plain);
  const none = await machineIdentity(plain);
  assert.deepEqual(none.gitRemotes, []);
});

test('remoteParts and hostForms', () => {
  assert.deepEqual(remoteParts('git@github.com:example-org/billing.git'), [
    'example-org',
    'billing',
    'example-org/billing',
  ]);
  assert.deepEqual(remoteParts('ssh://git@gitlab.example.org:2222/grp/sub/app.git'), [
    'grp',
    'sub',
    'app',
    'sub/app',
    'gitlab.example.org',
  ]);
  assert.deepEqual(remoteParts('https://dev.azure.com/org/proj/_git/repo'), [
    'org',
    'proj',
    'repo',
    'proj/repo',
  ]);
  assert.deepEqual(hostForms('ci-07.example.internal'), [
    'ci-07.example.internal',
    'ci-07',
    'example.internal',
  ]);
  assert.deepEqual(hostForms('laptop'), ['laptop']);
});

const id = (over: Partial<MachineIdentity>): MachineIdentity => ({ ...EMPTY_IDENTITY, ...over });

test('identity matching is token-aware: user `dev` does not flag `devex`, and generic values are ignored', async () => {
  const dev = id({ userNames: ['dev'], projectFolders: ['app'], hostNames: ['localhost'] });
  for (const word of ['devex', 'rapid-dev', 'app', 'localhost', 'developer']) {
    assert.equal((await gate({ [word]: word }, { identity: dev })).ok, true, word);
  }
  const marta = id({ userNames: ['marta'], projectFolders: ['lumen-ledger'] });
  const flagged = [
    'marta',
    'MARTA',
    'marta2',
    'by marta',
    'lumen_ledger',
    'LumenLedger',
    'Lumen Ledger',
    'x-lumen-ledger-y',
  ];
  for (const word of flagged) {
    const r = await gate({ v: word }, { identity: marta });
    assert.ok(
      Object.keys(r.counts).some((k) => k.startsWith('identity/')),
      word,
    );
  }
  for (const word of ['martingale', 'smartapp', 'lumens', 'ledgerlumen']) {
    assert.equal((await gate({ v: word }, { identity: marta })).ok, true, word);
  }
  // A short but specific name: matched as a token, never inside another word.
  const ali = id({ userNames: ['ali'] });
  for (const word of ['ali', 'ali2', 'by ali', 'ali-laptop']) {
    const r = await gate({ v: word }, { identity: ali });
    assert.ok('identity/user-name' in r.counts, word);
  }
  for (const word of ['alias', 'kali', 'italian', 'denali']) {
    assert.equal((await gate({ v: word }, { identity: ali })).ok, true, word);
  }
});

test('identity terms: e-mail parts, non-public domains, user-name words; two-letter and numeric values skipped', () => {
  const terms = identityTerms(
    id({
      userNames: ['al', '1000'],
      gitUserNames: ['Ada Lovelace'],
      gitEmails: ['ada@analytical.example', 'x@gmail.com'],
    }),
  );
  const values = terms.map((t) => t.value);
  assert.ok(!values.includes('al') && !values.includes('1000'));
  assert.ok(values.includes('Ada Lovelace') && values.includes('Lovelace'));
  assert.ok(values.includes('ada') && values.includes('analytical.example'));
  assert.ok(!values.includes('gmail.com'));
  const m = createIdentityMatcher(terms);
  assert.deepEqual(m.match('reviewed by Ada   Lovelace'), ['identity/git-user-name']);
  assert.deepEqual(m.match('ada%40analytical.example').sort(), ['identity/git-email']);
  assert.deepEqual(m.match('nothing here'), []);
});

test('declared terms catch words no pattern can know', async () => {
  const r = await gate(
    { customer: 'Initech', note: 'INITECH-migration', ok: 'initechs' },
    { terms: ['Initech'] },
  );
  assert.deepEqual(
    r.findings.map((f) => f.pointer),
    ['/customer', '/note'],
  );
});
