import { createHash } from 'node:crypto';
import type { MachineIdentity } from '../../lib/privacy/identity.ts';
import { remoteParts } from '../../lib/privacy/identity.ts';
import {
  FRAMEWORK_ACTIONS,
  FRAMEWORK_AGENTS,
  FRAMEWORK_DOMAINS,
  FRAMEWORK_EXPERTS,
  FRAMEWORK_WORKFLOWS,
  KNOWN_ERROR_TYPES,
} from '../../lib/privacy/known-names.ts';

/**
 * A labelled leak corpus, generated from a seed (same seed, same corpus): positives are secrets,
 * PII, paths, code and this (fictional) machine's identity, each with the rule families that
 * should catch it; negatives are harmless strings an export really holds or that look like a
 * leak without being one (framework names, our pseudonyms and hashes, dates, versions, pointers).
 */
export interface Sample {
  readonly family: string;
  readonly value: string;
  /** A vendor-prefixed token (or PEM / JWT): the ≥99% recall class. */
  readonly prefixed: boolean;
  /** Rule id prefixes of which one must fire at the sample's place (positives only). */
  readonly expect: readonly string[];
}

export interface LeakCorpus {
  readonly positives: Sample[];
  readonly negatives: Sample[];
}

/** mulberry32: a tiny seeded PRNG, so a failing sample reproduces from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fictional machine the identity samples belong to (it is not this machine). */
export const CORPUS_REMOTE = 'git@gitlab.nordwind.internal:nordwind-labs/lumen-ledger.git';
export const CORPUS_IDENTITY: MachineIdentity = {
  userNames: ['marta'],
  homeDirs: ['/home/marta'],
  hostNames: ['zephyr-ws14.nordwind.lan', 'zephyr-ws14'],
  gitUserNames: ['Marta Kowalczyk'],
  gitEmails: ['marta.k@nordwind-labs.eu'],
  projectFolders: ['lumen-ledger'],
  gitRemotes: [CORPUS_REMOTE],
  remoteParts: remoteParts(CORPUS_REMOTE),
};

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const BASE62 = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';

const FIRST = [
  'alice',
  'bob',
  'carol',
  'dmitri',
  'eun-ji',
  'farah',
  'gustavo',
  'hana',
  'ivan',
  'jomo',
  'kai',
];
const LAST = ['smith', 'nguyen', 'okafor', 'schmidt', 'tanaka', 'garcia', 'kowalski', 'haddad', 'larsen'];
const ORGS = ['contoso', 'acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'wayne', 'stark'];
const NOUNS = ['billing', 'invoice', 'payroll', 'refund', 'ledger', 'checkout', 'auth', 'search', 'reports'];
const TLD = ['com', 'io', 'net', 'org', 'de', 'co.uk', 'internal', 'local', 'corp'];

class Gen {
  constructor(readonly rand: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)] as T;
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rand() * alphabet.length)];
    return s;
  }
  /** Random base62 that has at least one upper, one lower and one digit, as real tokens do. */
  token(n: number): string {
    for (;;) {
      const s = this.chars(BASE62, n);
      if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s)) return s;
    }
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
  user(): string {
    return this.pick(FIRST);
  }
  proj(): string {
    return `${this.pick(ORGS)}-${this.pick(NOUNS)}`;
  }
  snake(): string {
    return `${this.pick(['charge', 'compute', 'load', 'sync', 'parse', 'send'])}_${this.pick(NOUNS)}${this.rand() < 0.5 ? `_${this.pick(['total', 'batch', 'row', 'job'])}` : ''}`;
  }
  camel(): string {
    const cap = (w: string) => `${w.slice(0, 1).toUpperCase()}${w.slice(1)}`;
    return `${cap(this.pick(ORGS))}${cap(this.pick(NOUNS))}${this.pick(['Service', 'Client', 'Handler', 'Job'])}`;
  }
  host(): string {
    return `${this.pick(['db', 'build', 'api', 'ci', 'mail', 'vpn'])}${this.int(1, 40)}.${this.pick(ORGS)}.${this.pick(TLD)}`;
  }
  email(): string {
    return `${this.user()}${this.pick(['', '.', '_', '+'])}${this.pick(LAST)}@${this.pick(ORGS)}-${this.pick(['corp', 'labs', 'inc'])}.${this.pick(TLD)}`;
  }
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

function luhnComplete(prefix: string, length: number, g: Gen): string {
  let body = prefix;
  while (body.length < length - 1) body += g.chars(DIGITS, 1);
  for (let d = 0; d <= 9; d++) {
    const candidate = body + d;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let x = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        x *= 2;
        if (x > 9) x -= 9;
      }
      sum += x;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

type Make = (g: Gen) => string;
interface Family {
  name: string;
  prefixed: boolean;
  expect: readonly string[];
  count: number;
  make: readonly Make[];
}

const SECRET = ['secret/'];

const POSITIVE_FAMILIES: readonly Family[] = [
  {
    name: 'github-token',
    prefixed: true,
    expect: SECRET,
    count: 30,
    make: [
      (g) => `${g.pick(['ghp', 'gho', 'ghu', 'ghs', 'ghr'])}_${g.token(36)}`,
      (g) => `github_pat_${g.token(22)}_${g.token(59)}`,
      (g) => `git push https://x:${'ghp'}_${g.token(36)}@github.com/o/r`,
      (g) => `GITHUB_TOKEN=ghs_${g.token(36)}`,
    ],
  },
  {
    name: 'gitlab-token',
    prefixed: true,
    expect: SECRET,
    count: 12,
    make: [(g) => `glpat-${g.chars(`${BASE62}_-`, 20)}`],
  },
  {
    name: 'slack-token',
    prefixed: true,
    expect: SECRET,
    count: 12,
    make: [
      (g) =>
        `xox${g.pick(['b', 'p', 'a', 'r', 's', 'o'])}-${g.chars(DIGITS, 12)}-${g.chars(DIGITS, 13)}-${g.token(24)}`,
      (g) =>
        `https://hooks.slack.com/services/T${g.chars(UPPER + DIGITS, 8)}/B${g.chars(UPPER + DIGITS, 10)}/${g.token(24)}`,
    ],
  },
  {
    name: 'stripe-key',
    prefixed: true,
    expect: SECRET,
    count: 12,
    make: [(g) => `${g.pick(['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'])}${g.token(g.int(24, 99))}`],
  },
  {
    name: 'google-api-key',
    prefixed: true,
    expect: SECRET,
    count: 10,
    make: [(g) => `AIza${g.chars(`${BASE62}_-`, 35)}`],
  },
  {
    name: 'aws-access-key',
    prefixed: true,
    expect: SECRET,
    count: 14,
    make: [
      (g) => `${g.pick(['AKIA', 'ASIA'])}${g.chars(`${UPPER}234567`, 16)}`,
      () => 'AKIAIOSFODNN7EXAMPLE',
      (g) => `aws_access_key_id = AKIA${g.chars(`${UPPER}234567`, 16)}`,
    ],
  },
  {
    name: 'anthropic-key',
    prefixed: true,
    expect: SECRET,
    count: 10,
    make: [(g) => `sk-ant-api03-${g.chars(`${BASE62}_-`, 93)}AA`, (g) => `sk-ant-admin01-${g.token(40)}`],
  },
  {
    name: 'openai-key',
    prefixed: true,
    expect: SECRET,
    count: 10,
    make: [
      (g) => `sk-proj-${g.chars(`${BASE62}_-`, 74)}T3BlbkFJ${g.token(40)}`,
      (g) => `sk-${g.token(20)}T3BlbkFJ${g.token(20)}`,
      (g) => `OPENAI_API_KEY=sk-svcacct-${g.token(48)}`,
    ],
  },
  { name: 'npm-token', prefixed: true, expect: SECRET, count: 10, make: [(g) => `npm_${g.token(36)}`] },
  {
    name: 'private-key',
    prefixed: true,
    expect: SECRET,
    count: 10,
    make: [
      (g) =>
        `-----BEGIN ${g.pick(['RSA ', 'EC ', 'OPENSSH ', 'DSA ', ''])}PRIVATE KEY-----\n${g.bytes(48).toString('base64')}\n${g.bytes(48).toString('base64')}\n-----END PRIVATE KEY-----`,
      (g) =>
        `-----BEGIN ${g.pick(['RSA ', 'OPENSSH ', ''])}PRIVATE KEY-----\n${g.bytes(20).toString('base64')}`,
      () => '-----BEGIN PRIVATE KEY',
      () => '-----BEGIN PGP PRIVATE KEY BLOCK-----',
    ],
  },
  {
    name: 'jwt',
    prefixed: true,
    expect: SECRET,
    count: 10,
    make: [
      (g) =>
        `${b64url(JSON.stringify({ alg: g.pick(['HS256', 'RS256']), typ: 'JWT' }))}.${b64url(JSON.stringify({ sub: g.user(), iat: g.int(1.6e9, 1.8e9) }))}.${g.bytes(32).toString('base64url')}`,
      (g) => `Bearer ${b64url('{"alg":"none"}')}.${b64url(`{"user":"${g.user()}"}`)}.`,
    ],
  },
  {
    name: 'high-entropy',
    prefixed: false,
    expect: SECRET,
    count: 15,
    make: [
      (g) => g.bytes(g.int(24, 40)).toString('base64'),
      (g) => g.token(g.int(32, 64)),
      (g) => `wJalr${g.token(30)}/K7MDENG`,
      (g) => g.chars(HEX, 48),
    ],
  },
  {
    name: 'password',
    prefixed: false,
    expect: SECRET,
    count: 10,
    make: [
      (g) => `password=${g.token(10)}!`,
      (g) => `rejected: leaks DB password ${g.pick(['hunter2', 'Winter2024!', 'letmein99'])} on ${g.host()}`,
      (g) => `DB_PASSWORD: "${g.token(12)}"`,
      (g) => `api_key = '${g.token(24)}'`,
    ],
  },
  {
    name: 'url-credentials',
    prefixed: false,
    expect: ['secret/', 'pii/url'],
    count: 10,
    make: [
      (g) => `postgres://${g.user()}:${g.token(12)}@${g.host()}:5432/${g.pick(NOUNS)}`,
      (g) => `https://${g.user()}:${g.token(16)}@${g.host()}/repo.git`,
      (g) => `mongodb+srv://admin:${g.token(10)}@cluster0.${g.pick(ORGS)}.mongodb.net/db`,
      (g) => `amqp://guest:${g.token(8)}@${g.host()}`,
    ],
  },
  {
    name: 'email',
    prefixed: false,
    expect: ['pii/email'],
    count: 20,
    make: [
      (g) => g.email(),
      (g) => `hotfix: rotate the key for ${g.email()}`,
      (g) => g.email().toUpperCase(),
      (g) => g.email().replace('@', '%40'),
      (g) => `<${g.email()}>`,
    ],
  },
  {
    name: 'ipv4',
    prefixed: false,
    expect: ['pii/ipv4'],
    count: 12,
    make: [
      (g) => `${g.int(1, 223)}.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(1, 254)}`,
      (g) => `connect to 10.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(1, 254)}:5432 refused`,
      (g) => `192.168.${g.int(0, 255)}.${g.int(1, 254)}`,
    ],
  },
  {
    name: 'ipv6',
    prefixed: false,
    expect: ['pii/ipv6'],
    count: 10,
    make: [
      (g) => `2001:db8:${g.chars(HEX, 4)}:${g.chars(HEX, 4)}::${g.chars(HEX, 3)}`,
      (g) => `fe80::${g.chars(HEX, 3)}:${g.chars(HEX, 4)}:${g.chars(HEX, 4)}:${g.chars(HEX, 4)}`,
      (g) => `[2a02:${g.chars(HEX, 4)}:${g.chars(HEX, 4)}:0:0:0:0:${g.chars(HEX, 4)}]:443`,
      () => '::ffff:10.0.0.7',
    ],
  },
  {
    name: 'phone',
    prefixed: false,
    expect: ['pii/phone'],
    count: 15,
    make: [
      (g) => `+1 ${g.int(201, 989)} 555 ${g.chars(DIGITS, 4)}`,
      (g) => `+1${g.int(201, 989)}555${g.chars(DIGITS, 4)}`,
      (g) => `(${g.int(201, 989)}) 555-${g.chars(DIGITS, 4)}`,
      (g) => `${g.int(201, 989)}-555-${g.chars(DIGITS, 4)}`,
      (g) => `+44 20 7946 ${g.chars(DIGITS, 4)}`,
      (g) => `020 7946 ${g.chars(DIGITS, 4)}`,
      (g) => `+49 30 ${g.chars(DIGITS, 8)}`,
      (g) => `06 ${g.chars(DIGITS, 2)} ${g.chars(DIGITS, 2)} ${g.chars(DIGITS, 2)} ${g.chars(DIGITS, 2)}`,
      (g) =>
        `call me at +33 6 ${g.chars(DIGITS, 2)} ${g.chars(DIGITS, 2)} ${g.chars(DIGITS, 2)} ${g.chars(DIGITS, 2)}`,
    ],
  },
  {
    name: 'card-number',
    prefixed: false,
    expect: ['pii/card-number'],
    count: 12,
    make: [
      (g) => luhnComplete('4', 16, g),
      (g) => luhnComplete(`5${g.int(1, 5)}`, 16, g),
      (g) => luhnComplete(`3${g.pick(['4', '7'])}`, 15, g),
      (g) => luhnComplete('6011', 16, g),
      (g) => luhnComplete(String(g.int(2221, 2720)), 16, g),
      (g) =>
        luhnComplete('4', 16, g)
          .replace(/(\d{4})(?=\d)/g, '$1 ')
          .trim(),
      (g) =>
        luhnComplete('5', 16, g)
          .replace(/(\d{4})(?=\d)/g, '$1-')
          .replace(/-$/, ''),
    ],
  },
  {
    name: 'ssn',
    prefixed: false,
    expect: ['pii/ssn'],
    count: 6,
    make: [
      (g) => `${g.int(100, 665)}-${g.int(10, 99)}-${g.int(1000, 9999)}`,
      (g) => `SSN ${g.int(100, 665)}-${g.int(10, 99)}-${g.int(1000, 9999)} in prompt`,
    ],
  },
  {
    name: 'path-posix',
    prefixed: false,
    expect: ['path/'],
    count: 22,
    make: [
      (g) => `/home/${g.user()}/${g.proj()}/src/${g.pick(NOUNS)}/${g.snake()}.py`,
      (g) => `/home/${g.user()}/${g.proj()}`,
      (g) => `/Users/${g.user()}/Projects/${g.proj()}`,
      (g) => `/home/runner/work/${g.proj()}/${g.proj()}`,
      () => '/root',
      (g) => `/tmp/${g.proj()}-build`,
      (g) => `/var/lib/${g.pick(NOUNS)}/state`,
      (g) => `/srv/${g.proj()}/current`,
      (g) => `/workspaces/${g.proj()}`,
      (g) => `/${g.pick(ORGS)}/${g.pick(NOUNS)}`,
      (g) => `Traceback: File "/opt/${g.proj()}/app/${g.pick(NOUNS)}.py", line ${g.int(1, 400)}`,
      (g) => `/mnt/c/Users/${g.user()}/dev`,
    ],
  },
  {
    name: 'path-windows',
    prefixed: false,
    expect: ['path/'],
    count: 14,
    make: [
      (g) => `C:\\Users\\${g.user()}\\${g.proj()}\\src\\${g.pick(NOUNS)}`,
      (g) => `D:/work/${g.proj()}`,
      (g) => `C:\\\\Users\\\\${g.user()}\\\\${g.proj()}`,
      (g) => `E:\\${g.proj()}\\build`,
      (g) => `c:/Users/${g.user()}/AppData/Local/tapps`,
    ],
  },
  {
    name: 'path-unc',
    prefixed: false,
    expect: ['path/'],
    count: 6,
    make: [
      (g) => `\\\\fileserver${g.int(1, 9)}\\${g.pick(NOUNS)}\\${g.proj()}`,
      (g) => `\\\\\\\\nas\\\\${g.pick(ORGS)}`,
      (g) => `//nas${g.int(1, 9)}/${g.pick(NOUNS)}/x`,
    ],
  },
  {
    name: 'path-home',
    prefixed: false,
    expect: ['path/'],
    count: 8,
    make: [
      (g) => `~/${g.proj()}/notes`,
      (g) => `~${g.user()}/bin`,
      (g) => `~\\${g.proj()}`,
      (g) => `$HOME/${g.proj()}`,
      (g) => `%USERPROFILE%\\${g.proj()}`,
    ],
  },
  {
    name: 'file-name',
    prefixed: false,
    expect: ['path/'],
    count: 14,
    make: [
      (g) => `${g.snake()}.py`,
      (g) => `${g.camel()}.java`,
      (g) => `${g.proj()}.ts`,
      (g) => `${g.pick(NOUNS)}.test.tsx`,
      (g) => `${g.pick(ORGS)}-q3-feedback.json.gz`,
      () => '.env.production',
      (g) => `src/${g.pick(NOUNS)}/${g.snake()}.rb`,
    ],
  },
  {
    name: 'hostname',
    prefixed: false,
    expect: ['pii/hostname', 'pii/email', 'pii/url'],
    count: 10,
    make: [
      (g) => g.host(),
      (g) => `${g.user()}-macbook.corp.${g.pick(ORGS)}.local`,
      (g) => `db01.corp.${g.pick(ORGS)}.local`,
    ],
  },
  {
    name: 'url',
    prefixed: false,
    expect: ['pii/url'],
    count: 8,
    make: [
      (g) => `https://${g.host()}/${g.pick(NOUNS)}`,
      (g) => `https://github.com/${g.pick(ORGS)}/${g.proj()}`,
      (g) => `os.system('curl http://${g.host()}/x')`,
    ],
  },
  {
    name: 'uuid',
    prefixed: false,
    expect: ['pii/uuid'],
    count: 5,
    make: [
      (g) =>
        `${g.chars(HEX, 8)}-${g.chars(HEX, 4)}-4${g.chars(HEX, 3)}-a${g.chars(HEX, 3)}-${g.chars(HEX, 12)}`,
    ],
  },
  {
    name: 'code-fragment',
    prefixed: false,
    expect: ['code/'],
    count: 10,
    make: [
      (g) => `def ${g.snake()}(`,
      (g) => `class ${g.camel()}(Base):`,
      (g) => `function ${g.pick(NOUNS)}Total(a, b) {`,
      (g) => `from ${g.pick(ORGS)}.${g.pick(NOUNS)} import ${g.snake()}`,
      () => "const fs = require('fs')",
      (g) => `${g.snake()}(amount)`,
    ],
  },
  {
    name: 'code-identifier',
    prefixed: false,
    expect: ['code/', 'name/'],
    count: 10,
    make: [
      (g) => `func_${g.snake()}_${g.chars(DIGITS, 4)}`,
      (g) => `class_${g.camel()}_${g.chars(DIGITS, 4)}`,
      (g) => g.snake(),
      (g) => `tester.${g.pick(ORGS)}_payroll_ssn_masking`,
      (g) => `implementer.${g.pick(ORGS)}-refund-service`,
    ],
  },
  {
    name: 'free-text',
    prefixed: false,
    expect: ['text/'],
    count: 8,
    make: [
      (g) => `Task TASK-${g.pick(ORGS).toUpperCase()}-${g.int(100, 999)} failed`,
      (g) => `${g.pick(ORGS)} invoice platform migration`,
      (g) => `Please refactor the ${g.pick(NOUNS)} module before Friday`,
      (g) => `reason: ${g.pick(NOUNS)} totals differ`,
    ],
  },
  {
    name: 'time-zone',
    prefixed: false,
    expect: ['time/'],
    count: 8,
    make: [
      (g) => `2026-11-${g.int(10, 28)}T${g.int(10, 23)}:47:24.893552`,
      (g) => `2026-11-${g.int(10, 28)} 0${g.int(1, 9)}:12:00`,
      (g) => `2026-11-${g.int(10, 28)}T08:47:24+05:30`,
      (g) => `2026-10-${g.int(10, 28)}T18:04:11-08:00`,
    ],
  },
  {
    name: 'identity',
    prefixed: false,
    expect: ['identity/'],
    count: 24,
    make: [
      () => 'marta',
      () => 'Marta Kowalczyk',
      () => 'kowalczyk',
      () => 'marta.k@nordwind-labs.eu',
      () => 'zephyr-ws14',
      () => 'zephyr-ws14.nordwind.lan',
      () => 'lumen-ledger',
      () => 'lumen_ledger',
      () => 'LumenLedger',
      () => 'nordwind-labs',
      () => 'nordwind-labs/lumen-ledger',
      () => 'gitlab.nordwind.internal',
      () => 'build of lumen-ledger',
      () => Buffer.from('x:marta.k@nordwind-labs.eu').toString('base64'),
      () => encodeURIComponent('marta.k@nordwind-labs.eu'),
      () => 'marta-build-7',
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Negatives.

const OUR_RULE_IDS = [
  'secret/github-token',
  'secret/aws-access-key',
  'secret/high-entropy',
  'pii/email',
  'pii/ipv4',
  'pii/phone',
  'path/posix-absolute',
  'path/file-name',
  'identity/user-name',
  'code/identifier',
  'text/free-text',
  'format/gzip-mtime',
  'B105',
  'B608',
  'CWE-798',
  'CWE-89',
];
const LANGUAGES = [
  'python',
  'typescript',
  'javascript',
  'java',
  'kotlin',
  'go',
  'rust',
  'ruby',
  'php',
  'csharp',
  'cpp',
  'c',
  'swift',
  'scala',
  'shell',
  'sql',
  'markdown',
  'yaml',
  'toml',
  'docker',
  'terraform',
  'notebook',
  'Python',
  'TypeScript',
  'C++',
  'C#',
  'Objective-C',
  'Visual Basic',
  'Node.js',
  'Jupyter Notebook',
];
const ENUMS = [
  'not-recorded',
  'meets-threshold',
  'below-threshold',
  'recorded',
  'empty',
  'excluded',
  'no-data-yet',
  'framework-keeps-in-memory-only',
  'host-did-not-report',
  'excluded-by-user',
  'below-k-threshold',
  'improving',
  'degrading',
  'flat',
  'not-enough-data',
  'live',
  'dormant',
  'missing',
  'success',
  'failure',
  'skipped',
  'completed',
  'failed',
  'blocked',
  'paused',
  'cancelled',
  'timeout',
  'rate-limit',
  'quality-gate',
  'unknown',
  'critical',
  'high',
  'medium',
  'low',
  'info',
  'weight-matrix',
  'domain-match-builtin',
  '__other__',
  'other',
];
const FIELD_NAMES = [
  'schemaVersion',
  'exportId',
  'createdAt',
  'projectId',
  'retrySuccesses',
  'durationMs',
  'agreementSumMilli',
  'suppressedCells',
  'scannedStrings',
  'successSlopePerWeek',
  'qualitySlopePerWeek',
  'firstWindow',
  'lastWindow',
  'policyVersion',
  'stepsCompleted',
  'selectionReasons',
  'meetsThreshold',
  'workflowRuns',
  'consultations',
];
const NEAR_IDENTITY = ['devex', 'martingale', 'smartmartian', 'ledgerline', 'lumens', 'nordwinds', 'zephyrs'];

function negatives(g: Gen): Sample[] {
  const out: Sample[] = [];
  const add = (family: string, value: string) => out.push({ family, value, prefixed: false, expect: [] });
  const agents = [...FRAMEWORK_AGENTS];
  const actions = [...FRAMEWORK_ACTIONS];
  for (let i = 0; i < 60; i++) {
    const action = g.pick(actions);
    add('framework-name', `${g.pick(agents)}.${i % 2 === 0 ? action.replace(/-/g, '_') : action}`);
  }
  for (const s of [
    'implementer.write_code',
    'reviewer.review-code',
    'expert-agent-learning',
    'agent-learning',
    'rapid-dev',
    'full-sdlc',
    'implementer.write-code',
    'enhancer.enhance_prompt',
    'tester.test',
    'documenter.docs',
  ])
    add('framework-name', s);
  for (const s of [...FRAMEWORK_WORKFLOWS, ...FRAMEWORK_DOMAINS, ...FRAMEWORK_EXPERTS])
    add('framework-name', s);
  for (let i = 0; i < 40; i++) add('pseudonym', `p_${g.chars(HEX, 16)}`);
  for (let i = 0; i < 12; i++) add('pseudonym', `${g.pick(agents)}.p_${g.chars(HEX, 16)}`);
  for (let i = 0; i < 20; i++) add('hash', g.chars(HEX, 64));
  for (let i = 0; i < 15; i++) add('hash', createHash('sha256').update(String(i)).digest('hex'));
  for (let i = 0; i < 5; i++) add('hash', createHash('sha1').update(String(i)).digest('hex'));
  for (let i = 0; i < 30; i++) {
    const d = new Date(Date.UTC(2025, 0, 1) + g.int(0, 900) * 86_400_000 + g.int(0, 86_399_999));
    const iso = d.toISOString();
    add('date', g.pick([iso.slice(0, 10), iso, iso.replace(/\.\d{3}Z$/, 'Z'), iso.replace('Z', '+00:00')]));
  }
  for (const s of [
    '3.6.3',
    '1.0',
    'v20.20.2',
    '3.7.1',
    '0.1.0',
    '12.0.0',
    '2.5.15',
    '1.0.0-beta.1',
    '3.7.1+build.5',
    'v1',
    '20.19.0',
    '5.9.3',
    '4.10.2',
    'unknown',
    '2026-11-1',
    'python-1.0',
    '1.0.0-rc.2',
    '0.0.1',
    '10.4',
    'v3.6',
  ])
    add('version', s);
  for (let i = 0; i < 20; i++) {
    const root = g.pick([
      'capabilities',
      'workflows',
      'experts',
      'failures',
      'security',
      'health',
      'effectiveness',
    ]);
    add(
      'json-pointer',
      g.pick([`/${root}/items/${i}/name`, `/${root}/items/${i}/weeks/2026-11-23/runs`, `/${root}/status`]),
    );
  }
  add('json-pointer', '/metadata/privacy/redaction/rules/secret~1github-token');
  add('json-pointer', '/metadata/exportId');
  for (const t of [...KNOWN_ERROR_TYPES].slice(0, 30)) add('error-type', t);
  for (const r of OUR_RULE_IDS) add('rule-id', r);
  for (const l of LANGUAGES) add('language', l);
  for (const e of ENUMS) add('enum', e);
  for (const f of FIELD_NAMES) add('field-name', f);
  for (const s of [
    '42',
    '0.95',
    '-3',
    '1e-9',
    '100',
    'p50',
    'p95',
    'k5',
    '12.5%',
    'en-US',
    'UTC',
    'DO_NOT_TRACK',
    'NO_COLOR',
  ])
    add('misc', s);
  for (const s of NEAR_IDENTITY) add('near-identity', s);
  for (const s of [
    '@tapps-agents/learning',
    'tapps-agents-python',
    'application/json',
    '^1.2.3',
    '>=20.19',
    'PT5M',
    '03:00:00',
    '2026-W47',
    'B105|high',
    'CWE-798|critical',
    'story',
    'epic',
    'p95DurationMs',
    'http2Enabled',
    'utf-8',
    'gzip',
    'msgpack',
    'sha256',
    'HMAC-SHA-256',
    'x-idempotency-key',
    'k-threshold',
    'laplace',
    '#3fa85f',
    `legacy_${g.chars(HEX, 16)}`,
    `sha256:${g.chars(HEX, 64)}`,
    '1729000000000',
    '0.6789',
    'NaN',
    'true',
    '',
  ])
    add('misc', s);
  return out;
}

export function leakCorpus(seed = 20261124): LeakCorpus {
  const g = new Gen(mulberry32(seed));
  const positives: Sample[] = [];
  for (const f of POSITIVE_FAMILIES) {
    for (let i = 0; i < f.count; i++) {
      const make = f.make[i % f.make.length] as Make;
      positives.push({ family: f.name, value: make(g), prefixed: f.prefixed, expect: f.expect });
    }
  }
  return { positives, negatives: negatives(g) };
}
