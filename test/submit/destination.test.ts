import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_GITHUB_API,
  DestinationError,
  destinationFromKey,
  destinationKey,
  githubWebBase,
  isLoopback,
  leavesMachine,
  normalizeBase,
  parseDestination,
} from '../../lib/submit/destination.ts';

const o = { cwd: '/home/u/proj', githubApiBase: DEFAULT_GITHUB_API, source: '--to' };
const parse = (t: string, api = DEFAULT_GITHUB_API) => parseDestination(t, { ...o, githubApiBase: api });

describe('parseDestination', () => {
  it('reads every documented form', () => {
    assert.deepEqual(parse('file:bundle'), { kind: 'file', path: '/home/u/proj/bundle' });
    assert.deepEqual(parse('file:/tmp/x.tar.gz'), { kind: 'file', path: '/tmp/x.tar.gz' });
    assert.deepEqual(parse('file:///tmp/a%20b'), { kind: 'file', path: '/tmp/a b' });
    assert.deepEqual(parse('github'), {
      kind: 'github',
      owner: 'wtthornton',
      repo: 'TappsCodingAgents',
      apiBase: DEFAULT_GITHUB_API,
    });
    assert.deepEqual(parse('github:acme/feedback.git'), {
      kind: 'github',
      owner: 'acme',
      repo: 'feedback',
      apiBase: DEFAULT_GITHUB_API,
    });
    assert.deepEqual(parse('https://Hub.Example.org:443/v1/submissions/'), {
      kind: 'http',
      base: 'https://hub.example.org',
    });
    assert.deepEqual(parse('http://localhost:8080/learning/'), {
      kind: 'http',
      base: 'http://localhost:8080/learning',
    });
    assert.deepEqual(parse('http://[::1]:9/'), { kind: 'http', base: 'http://[::1]:9' });
  });

  it('refuses what it cannot use, saying where and why', () => {
    for (const [text, pattern] of [
      ['', /--to is empty/],
      ['file:', /file: needs a path/],
      ['github:a', /is not github:OWNER\/REPO/],
      ['github:a/b/c', /is not github:OWNER\/REPO/],
      ['github:-x/y', /is not github:OWNER\/REPO/],
      ['github:x/..', /is not github:OWNER\/REPO/],
      ['ftp://x', /unknown destination/],
      ['hub.example.org', /unknown destination/],
      ['http://10.0.0.5:8080', /plain http:\/\/ is allowed only for this machine/],
      ['https://a:b@hub.example.org', /user name or password/],
      ['https://hub.example.org/?token=x', /query string/],
      ['https://hub.example.org/#x', /fragment/],
      ['https://hub.example.org/\u0007', /control characters/],
      ['x'.repeat(3000), /longer than 2048/],
    ] as const)
      assert.throws(
        () => parse(text),
        (e: unknown) => e instanceof DestinationError && pattern.test(e.message),
        text.slice(0, 40),
      );
  });

  it('treats a different GitHub API base as a different destination', () => {
    const a = destinationKey(parse('github'));
    const b = destinationKey(parse('github', 'http://127.0.0.1:3000/'));
    assert.equal(a, 'github:wtthornton/tappscodingagents');
    assert.equal(b, 'github:wtthornton/tappscodingagents via http://127.0.0.1:3000');
    assert.notEqual(a, b);
  });

  it('takes the API base in force now when reading a github key back from a consent record', () => {
    const key = destinationKey(parse('github'));
    const now = destinationFromKey(key, { cwd: '/', githubApiBase: 'https://ghe.example.com/api/v3' });
    assert.equal(
      now.kind === 'github' && now.owner,
      'wtthornton',
      'the framework repository keeps its spelling',
    );
    assert.notEqual(destinationKey(now), key, 'so the consent check sees a new destination');
    assert.equal(githubWebBase('https://ghe.example.com/api/v3'), 'https://ghe.example.com');
    assert.equal(githubWebBase(DEFAULT_GITHUB_API), 'https://github.com');
  });

  it('knows which destinations leave the machine, and which hosts are loopback', () => {
    assert.equal(leavesMachine(parse('file:x')), false);
    assert.equal(leavesMachine(parse('github')), true);
    assert.equal(leavesMachine(parse('https://hub.example.org')), true);
    for (const h of ['localhost', 'a.localhost', '127.0.0.1', '127.1.2.3', '[::1]'])
      assert.equal(isLoopback(h), true, h);
    for (const h of ['10.0.0.1', 'localhost.example.org', '128.0.0.1', 'example.org'])
      assert.equal(isLoopback(h), false, h);
  });
});

describe('parseDestination properties', () => {
  const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\.[a-z][a-z0-9-]{0,10}){1,2}$/);
  const seg = fc.stringMatching(/^[a-z0-9_-]{1,10}$/);

  it('never throws anything but a DestinationError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parse(text);
        } catch (e) {
          assert.ok(e instanceof DestinationError, String(e));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a hub key is a fixed point: parsing the key gives the same key, and cosmetic variants give the same key', () => {
    fc.assert(
      fc.property(
        host,
        fc.array(seg, { maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        (h, path, upper, slash) => {
          const base = `https://${h}${path.map((p) => `/${p}`).join('')}`;
          const key = destinationKey(parse(base));
          assert.equal(destinationKey(parse(key)), key);
          const variant = `${upper ? base.replace(h, h.toUpperCase()) : base.replace(h, `${h}:443`)}${slash ? '/' : ''}`;
          assert.equal(destinationKey(parse(variant)), key);
          assert.equal(destinationKey(parse(`${base}/v1/submissions`)), key);
        },
      ),
    );
  });

  it('never accepts credentials, and a github key reads back as itself', () => {
    const owner = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,12}$/);
    fc.assert(
      fc.property(owner, seg, host, (u, p, h) => {
        assert.throws(() => parse(`https://${u}:${p}@${h}`), DestinationError);
        const d = parse(`github:${u}/${p}`);
        assert.equal(
          destinationKey(
            destinationFromKey(destinationKey(d), { cwd: '/', githubApiBase: DEFAULT_GITHUB_API }),
          ),
          destinationKey(d),
        );
      }),
    );
  });

  it('normalizeBase is idempotent', () => {
    fc.assert(
      fc.property(host, fc.array(seg, { maxLength: 3 }), (h, path) => {
        const once = normalizeBase(`https://${h}/${path.join('/')}`, 'x');
        assert.equal(normalizeBase(once, 'x'), once);
      }),
    );
  });
});
