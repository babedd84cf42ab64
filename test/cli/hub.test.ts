import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { httpClient, startChildHub } from '../hub/child-hub.ts';
import { gzipJson, submissionCorpus } from '../hub/corpus.ts';
import { runCli, tempProject } from './harness.ts';

let project: string;
before(() => {
  project = tempProject('hub-cli-');
  writeFileSync(
    join(project, 'tokens.txt'),
    '# submitters\nci-token-0123456789abcdef\n\nlaptop-token-0123456789abcdef\n',
  );
  writeFileSync(join(project, 'empty-tokens.txt'), '# nobody yet\n');
  writeFileSync(join(project, 'short-tokens.txt'), 'abc\n');
});
after(() => rmSync(project, { recursive: true, force: true }));

test('bad flags are usage errors (exit 2) that say what to change', async () => {
  const cases: [string[], RegExp][] = [
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--k', '0'], /--k must be a whole number from 1 to 1000/],
    [['--max-body', '12'], /--max-body must be a whole number from 1024/],
    [['--rate', '-1'], /--rate must be a whole number from 0/],
    [['--token-file', 'missing.txt'], /cannot read the token file .*missing\.txt/],
    [['--token-file', 'empty-tokens.txt'], /holds no token: add one per line, or leave out --token-file/],
    [
      ['--token-file', 'short-tokens.txt'],
      /short-tokens\.txt:1: a token must be 16 to 512 printable characters/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['learning', 'hub', 'serve', ...args], { cwd: project });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('learning hub serve: listens, requires its bearer tokens, refuses a second hub on the same folder, stops on SIGTERM', async () => {
  const hub = await startChildHub(
    ['--db', 'hub-db', '--port', '0', '--token-file', 'tokens.txt', '--k', '3'],
    { cwd: project, timeoutMs: 120_000 },
  );
  const client = httpClient(1);
  try {
    assert.match(
      hub.stderr(),
      /listening on http:\/\/127\.0\.0\.1:\d+ \(PGlite in .*hub-db; k = 3; 2 bearer token\(s\) required; max body 4194304 bytes\)/,
    );
    const [doc] = submissionCorpus(1, { seed: 900 });
    const body = gzipJson(doc as NonNullable<typeof doc>);
    const anonymous = await client.post(`${hub.url}/v1/submissions`, body, { 'content-encoding': 'gzip' });
    assert.equal(anonymous.status, 401);
    assert.equal(JSON.parse(anonymous.body).error.type, 'auth');
    const ok = await client.post(`${hub.url}/v1/submissions`, body, {
      'content-encoding': 'gzip',
      authorization: 'Bearer laptop-token-0123456789abcdef',
    });
    assert.equal(ok.status, 201, ok.body);
    assert.equal(JSON.parse(ok.body).exportId, doc?.metadata.exportId);

    const second = await runCli(['learning', 'hub', 'serve', '--db', 'hub-db', '--port', '0'], {
      cwd: project,
    });
    assert.equal(second.code, 5);
    assert.match(
      second.stderr,
      /hub-db is in use by process \d+; stop that hub first, or use another --db folder/,
    );
  } finally {
    client.close();
  }
  assert.equal(await hub.stop(), 0);
  assert.match(hub.stderr(), /SIGTERM: closing\n.*stopped/);
});

test('the defaults --help shows are the hub server’s own (spelled out so listing commands stays cheap)', async () => {
  const { HUB_DEFAULTS: shown } = await import('../../lib/cli/commands/hub.ts');
  const { HUB_DEFAULTS: server } = await import('../../lib/hub/server.ts');
  assert.deepEqual(
    [shown.k, shown.maxBodyBytes, shown.host, shown.port],
    [server.k, server.maxBodyBytes, server.host, server.port],
  );
  assert.equal(shown.rate.perAddress.perMinute, server.rate.perAddress.perMinute);
  assert.equal(shown.rate.perToken.perMinute, server.rate.perToken.perMinute);
});
