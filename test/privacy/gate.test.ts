import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatGateRefusal, gate, gateBytes } from '../../lib/privacy/gate.ts';
import { EMPTY_IDENTITY, type MachineIdentity } from '../../lib/privacy/identity.ts';
import { CORPUS_IDENTITY, leakCorpus, mulberry32, type Sample } from './leak-corpus.ts';
import { cleanDoc, plant } from './plant.ts';

interface Cell {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

test('leak corpus: recall, precision and confusion counts per family', async () => {
  const corpus = leakCorpus();
  assert.ok(corpus.positives.length >= 300, `${corpus.positives.length} positives`);
  assert.ok(corpus.negatives.length >= 300, `${corpus.negatives.length} look-alikes`);
  const rand = mulberry32(7);
  const base = cleanDoc(rand);
  const ctx = { identity: CORPUS_IDENTITY };
  assert.deepEqual((await gate(base, ctx)).findings, [], 'the base document is clean');

  const table = new Map<string, Cell>();
  const cell = (family: string) => {
    let c = table.get(family);
    if (!c) {
      c = { tp: 0, fn: 0, fp: 0, tn: 0 };
      table.set(family, c);
    }
    return c;
  };
  const misses: string[] = [];
  let prefixedTp = 0;
  let prefixedAll = 0;
  for (const s of corpus.positives) {
    for (const where of ['key', 'value'] as const) {
      const p = plant(base, s.value, where, rand);
      const report = await gate(p.doc, ctx);
      const hit = report.findings.some(
        (f) => f.pointer === p.pointer && f.in === where && s.expect.some((e) => f.ruleId.startsWith(e)),
      );
      const c = cell(s.family);
      if (hit) c.tp++;
      else {
        c.fn++;
        misses.push(
          `${s.family} in ${where}: ${report.findings.map((f) => `${f.pointer} ${f.ruleId}`).join('; ')}`,
        );
      }
      if (s.prefixed) {
        prefixedAll++;
        if (hit) prefixedTp++;
      }
    }
  }
  const falseAlarms: string[] = [];
  for (const s of corpus.negatives) {
    for (const where of ['key', 'value'] as const) {
      const report = await gate(plant(base, s.value, where, rand).doc, ctx);
      const c = cell(s.family);
      if (report.ok) c.tn++;
      else {
        c.fp++;
        falseAlarms.push(`${s.family} ${JSON.stringify(s.value)}: ${Object.keys(report.counts).join(', ')}`);
      }
    }
  }

  const total = [...table.values()].reduce(
    (a, c) => ({ tp: a.tp + c.tp, fn: a.fn + c.fn, fp: a.fp + c.fp, tn: a.tn + c.tn }),
    { tp: 0, fn: 0, fp: 0, tn: 0 },
  );
  const rows = [...table.entries()].map(([family, c]) => ({ family, ...c }));
  rows.push({ family: 'TOTAL', ...total });
  console.log('gate confusion counts (each sample placed once as a key and once as a value):');
  console.table(rows);
  const recall = total.tp / (total.tp + total.fn);
  const prefixedRecall = prefixedTp / prefixedAll;
  const precision = total.tp / (total.tp + total.fp);
  const lookAlikePass = total.tn / (total.tn + total.fp);
  console.log(
    `recall ${(recall * 100).toFixed(2)}%  prefixed-token recall ${(prefixedRecall * 100).toFixed(2)}%  ` +
      `precision ${(precision * 100).toFixed(2)}%  look-alikes passed ${(lookAlikePass * 100).toFixed(2)}%`,
  );
  if (misses.length > 0) console.log('missed:', misses);
  if (falseAlarms.length > 0) console.log('false alarms:', falseAlarms);

  assert.ok(prefixedRecall >= 0.99, `prefixed recall ${prefixedRecall}`);
  assert.ok(recall >= 0.95, `overall recall ${recall}`);
  assert.ok(precision >= 0.95, `precision ${precision}`);
  assert.ok(lookAlikePass >= 0.95, `look-alikes passed ${lookAlikePass}`);
});

// ---------------------------------------------------------------------------------------------
// The shared fixtures' canaries.

const here = dirname(fileURLToPath(import.meta.url));
const SHARED = process.env.TAPPS_SHARED_DIR ?? resolve(here, '../../../shared');
const CANARIES = resolve(SHARED, 'fixtures/tapps-small/canaries.txt');

const README = resolve(SHARED, 'fixtures/README.md');

/**
 * The fixture project's machine and its customer, read from the fixtures' README at test time
 * ("The project is the billing service `/home/<user>/<folder>` (customer "<name>")"), so no
 * fixture value is copied into this repository. The customer is the one word no rule can know:
 * a project declares such words as sensitive terms.
 */
function fixtureContext(): { identity: MachineIdentity; terms: string[] } {
  const text = readFileSync(README, 'utf8');
  const project = /`(\/home\/[^/`]+\/[^/`]+)`/.exec(text)?.[1];
  const customer = /customer "([^"]+)"/.exec(text)?.[1];
  assert.ok(project && customer, 'the fixtures README names the project path and the customer');
  const [, , user, folder] = project.split('/') as [string, string, string, string];
  return {
    identity: { ...EMPTY_IDENTITY, userNames: [user], homeDirs: [`/home/${user}`], projectFolders: [folder] },
    terms: [customer],
  };
}

function canaries(): string[] {
  return readFileSync(CANARIES, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}

async function caughtEverywhere(value: string, ctx: Parameters<typeof gate>[1]): Promise<string[]> {
  const escaped = JSON.stringify(value).slice(1, -1);
  const problems: string[] = [];
  for (const [form, v] of [
    ['verbatim', value],
    ['JSON-escaped', escaped],
  ] as const) {
    if ((await gate({ note: v }, ctx)).ok) problems.push(`${form} value`);
    if ((await gate({ [v]: 1 }, ctx)).ok) problems.push(`${form} key`);
    if ((await gate([{ deep: [[{ x: v }]] }], ctx)).ok) problems.push(`${form} nested value`);
    if ((await gateBytes(Buffer.from(JSON.stringify({ note: v })), ctx)).ok)
      problems.push(`${form} in bytes`);
  }
  return problems;
}

test('every canary of the shared fixtures is refused, verbatim and JSON-escaped', async (t) => {
  if (!existsSync(CANARIES)) {
    t.skip(`shared fixtures absent (${CANARIES}): canary test skipped`);
    return;
  }
  const list = canaries();
  assert.ok(list.length >= 10, 'canaries file has its canaries');
  const fixture = fixtureContext();
  const generic: string[] = [];
  for (const canary of list) {
    const full = await caughtEverywhere(canary, fixture);
    assert.deepEqual(full, [], `canary #${list.indexOf(canary) + 1} escaped: ${full.join(', ')}`);
    // Without identity or declared terms only the content rules work: they must still catch
    // everything except a bare customer name (which no pattern can know).
    if ((await caughtEverywhere(canary, {})).length > 0) generic.push(canary);
  }
  console.log(
    `canaries: ${list.length} caught with identity+terms; ${list.length - generic.length} by content rules alone`,
  );
  assert.ok(
    generic.every((c) => fixture.terms.includes(c)),
    `only declared terms may need the declaration (${generic.length} did)`,
  );
});

// ---------------------------------------------------------------------------------------------
// The refusal message.

test('formatGateRefusal lists pointers and rule ids and never a value', async () => {
  const corpus = leakCorpus(99);
  const rand = mulberry32(3);
  const base = cleanDoc(rand);
  for (const s of corpus.positives) {
    for (const where of ['key', 'value'] as const) {
      const p = plant(base, s.value, where, rand);
      const report = await gate(p.doc, { identity: CORPUS_IDENTITY });
      const message = formatGateRefusal(report);
      assert.ok(!report.ok);
      assert.ok(!message.includes(s.value), `${s.family} value appears in the message`);
      for (const f of report.findings)
        assert.ok(!f.pointer.includes(s.value), `${s.family} value in a pointer`);
      assert.ok(message.includes(p.pointer), 'the message names the place');
      for (const rule of Object.keys(report.counts)) assert.ok(message.includes(rule));
      assert.match(message, /What to do/);
    }
  }
});

test('formatGateRefusal keeps long reports short and says a clean report is clean', async () => {
  const doc = Object.fromEntries(
    Array.from({ length: 100 }, (_, i) => [`field${i}x`, `bob${i}@contoso.com`]),
  );
  const report = await gate(doc, {});
  assert.equal(report.findings.length, 100);
  assert.equal(report.counts['pii/email'], 100);
  const message = formatGateRefusal(report);
  assert.match(message, /and 60 more places/);
  assert.ok(!message.includes('contoso'));
  assert.match(formatGateRefusal(await gate({ a: 'rapid-dev' }, {})), /found nothing/);
});

test('look-alikes named in the brief pass', async () => {
  const harmless: Sample['value'][] = [
    'implementer.write_code',
    'expert-agent-learning',
    'agent-learning',
    'rapid-dev',
    'full-sdlc',
    'reviewer.review-code',
    '__other__',
    'p_3fa85f6457174562',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    '2026-11-24',
    '2026-11-24T03:00:00.000Z',
    '3.6.3',
    '1.0',
    'v20.20.2',
    '/capabilities/items/0/name',
    'TimeoutError',
    'ValueError',
    'secret/github-token',
    'pii/email',
    'python',
    'TypeScript',
    'not-recorded',
    'meets-threshold',
  ];
  for (const value of harmless) {
    const report = await gate({ [value]: value }, { identity: CORPUS_IDENTITY });
    assert.deepEqual(report.findings, [], value);
  }
});
