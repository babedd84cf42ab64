import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as v from 'valibot';
import { buildExport } from '../../lib/export/build.ts';
import { produceExport } from '../../lib/export/produce.ts';
import { resolveOptions } from '../../lib/options.ts';
import { discreteLaplace, noiseKeyOf } from '../../lib/privacy/noise.ts';
import { emptyState } from '../../lib/rollup/state-file.ts';
import { type ExportV1, ExportV1 as ExportV1Schema } from '../../schema/export-v1.ts';
import { tempProject } from '../cli/harness.ts';
import { events, rollupOf } from './export-events.ts';
import { CORPUS_IDENTITY, mulberry32 } from './leak-corpus.ts';

const base = {
  now: new Date('2026-11-24T03:00:00Z'),
  projectId: 'p_0123456789abcdef',
  producerVersion: '0.1.0',
  frameworkVersion: '3.6.3',
};

/** Every label path of a document (object keys and label fields), to show noise adds none. */
function labels(doc: ExportV1): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown, path: string) => {
    if (Array.isArray(x)) {
      for (const [i, y] of x.entries()) walk(y, `${path}/${labelOf(y) ?? i}`);
    } else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) walk(y, `${path}/${k}`);
    else out.add(path);
  };
  const labelOf = (y: unknown) => {
    if (!y || typeof y !== 'object') return undefined;
    const o = y as Record<string, unknown>;
    return (
      [o.name, o.type, o.domain, o.capability, o.kind, o.rule, o.severity, o.errorType, o.store]
        .filter(Boolean)
        .join('|') || undefined
    );
  };
  // Effectiveness is recomputed from the noisy weeks: its shape may change, it holds no counts.
  walk({ ...doc, metadata: {}, effectiveness: {} }, '');
  // Sketch buckets are positions, not labels: a bucket may empty out, never appear.
  // A section whose last cell noise emptied says so in its status: not a label either.
  return new Set([...out].filter((p) => !/\/(counts|offset|min|max)\b|^\/\w+\/(status|reason)$/.test(p)));
}

function consistent(doc: ExportV1): string | null {
  const cell = (c: number[], where: string) => {
    if (!c.every((x) => Number.isInteger(x) && x >= 0)) return `${where}: not whole numbers ≥ 0`;
    if ((c[1] as number) + (c[2] as number) > (c[0] as number)) return `${where}: ok + failed > runs`;
    if ((c[3] as number) > (c[0] as number) || (c[5] as number) > (c[0] as number))
      return `${where}: part > runs`;
    if ((c[4] as number) > (c[5] as number) * 100_000) return `${where}: quality sum above 100 per run`;
    return null;
  };
  const sketch = (
    s: ExportV1['capabilities']['items'][number]['durationMs'],
    limit: number,
    where: string,
  ) => {
    if (s.count !== s.zeros + s.counts.reduce((a, b) => a + b, 0)) return `${where}: count ≠ zeros + buckets`;
    if (s.count > limit) return `${where}: more values than runs`;
    if ((s.count === 0) !== (s.min === null)) return `${where}: min/max vs count`;
    return null;
  };
  for (const c of doc.capabilities.items) {
    const w = `capability ${c.name}`;
    if (c.runs !== c.successes + c.failures + c.skips) return `${w}: runs ≠ s + f + skips`;
    if (c.retries > c.runs || c.retrySuccesses > Math.min(c.retries, c.successes)) return `${w}: retries`;
    for (const [name, [total, n]] of Object.entries(c.subScores))
      if (n > c.runs || total > n * 100_000) return `${w}: ${name}`;
    const bad = sketch(c.durationMs, c.runs, `${w} duration`) ?? sketch(c.quality, c.runs, `${w} quality`);
    if (bad) return bad;
    for (const [week, x] of Object.entries(c.weeks)) {
      const e = cell(x, `${w} ${week}`);
      if (e) return e;
    }
  }
  for (const wf of doc.workflows.items) {
    if (Object.values(wf.outcomes).reduce((a, b) => a + b, 0) > wf.runs)
      return `workflow ${wf.type}: outcomes > runs`;
    const bad = sketch(wf.durationMs, wf.runs, `workflow ${wf.type}`);
    if (bad) return bad;
  }
  for (const e of doc.experts.items) {
    if (e.meetsThreshold + e.belowThreshold > e.consultations)
      return `${e.domain}: meets + below > consultations`;
    if (e.agreementCount > e.consultations || e.agreementSumMilli > e.agreementCount * 1000)
      return `${e.domain}: agreement`;
    const bad = sketch(e.confidence, e.consultations, `${e.domain} confidence`);
    if (bad) return bad;
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (doc.totals.tasks < sum(doc.capabilities.items.map((c) => c.runs))) return 'totals.tasks < Σ runs';
  return null;
}

describe('Laplace noise (lib/privacy/noise.ts)', () => {
  it('discrete Laplace has mean 0 and the variance of scale Δ/ε; noise keys are subkeys', () => {
    const n = 200_000;
    for (const epsilon of [0.5, 1, 2]) {
      const random = mulberry32(Math.round(epsilon * 1000));
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = discreteLaplace(epsilon, 1, random);
        assert.ok(Number.isInteger(x));
        s += x;
        s2 += x * x;
      }
      const mean = s / n;
      const variance = s2 / n - mean * mean;
      const p = Math.exp(-epsilon);
      const expected = (2 * p) / (1 - p) ** 2;
      console.log(
        `discrete Laplace eps=${epsilon}: mean ${mean.toFixed(4)}, variance ${variance.toFixed(3)} (expected ${expected.toFixed(3)})`,
      );
      assert.ok(Math.abs(mean) < 0.05, `mean ${mean}`);
      assert.ok(Math.abs(variance / expected - 1) < 0.05, `variance ${variance} vs ${expected}`);
    }
    const keys = [noiseKeyOf(new Uint8Array(32).fill(1)), noiseKeyOf(new Uint8Array(32).fill(2))];
    assert.notDeepEqual(keys[0], keys[1]);
    assert.notDeepEqual(keys[0], new Uint8Array(32).fill(1), 'a subkey, never the secret itself');
  });

  it('the same place and true value keep their noise across exports: re-exporting cannot be averaged away', () => {
    const list = fc.sample(events, { numRuns: 10, seed: 7 }).flat();
    const more = fc.sample(events, { numRuns: 10, seed: 8 }).flat();
    const key = new Uint8Array(32).fill(42);
    const noisy = (l: typeof list, k: number, epsilon = 1, noiseKey = key) =>
      buildExport(rollupOf(l).rollup, { ...base, k, epsilon, noiseKey });
    const byName = (d: ExportV1) => new Map(d.capabilities.items.map((c) => [c.name, c]));
    const plain3 = byName(buildExport(rollupOf(list).rollup, { ...base, k: 3 }));
    const plain4 = byName(buildExport(rollupOf(list).rollup, { ...base, k: 4 }));
    const [a, b] = [byName(noisy(list, 3)), byName(noisy(list, 4))];
    let same = 0;
    for (const [name, c] of plain3) {
      if (plain4.get(name)?.successes !== c.successes) continue;
      assert.equal(b.get(name)?.successes, a.get(name)?.successes, `${name}: another k, same noise`);
      same++;
    }
    assert.ok(same > 0, 'some capability is exported under both k');
    // Events elsewhere (workflows, consultations): capability cells keep their noisy values.
    const grown = noisy([...list, ...more.filter((e) => e.kind !== 'task')], 3);
    const before = noisy(list, 3);
    assert.deepEqual(grown.capabilities, before.capabilities);
    const other = noisy(list, 3, 1, new Uint8Array(32).fill(43));
    assert.notDeepEqual(other.capabilities, before.capabilities, 'another key, other noise');
    assert.notDeepEqual(noisy(list, 3, 2).capabilities, before.capabilities, 'another epsilon, a fresh draw');
  });

  it('property: noisy exports validate, stay whole and consistent, add no label, and are reproducible from the key', () => {
    const runs = 1000;
    let noised = 0;
    fc.assert(
      fc.property(
        events,
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0.05, max: 10, noNaN: true }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (list, k, epsilon, noiseKey) => {
          const { rollup } = rollupOf(list);
          const plain = buildExport(rollup, { ...base, k });
          const doc = buildExport(rollup, { ...base, k, epsilon, noiseKey });
          const again = buildExport(rollup, { ...base, k, epsilon, noiseKey });
          assert.deepEqual(doc, again, 'the same key gives the same document');
          const parsed = v.safeParse(ExportV1Schema, doc);
          assert.ok(parsed.success, JSON.stringify(parsed.issues?.[0]));
          assert.equal(consistent(doc), null);
          assert.equal(doc.metadata.privacy.epsilon, epsilon);
          const before = labels(plain);
          const extra = [...labels(doc)].filter((p) => !before.has(p));
          assert.deepEqual(extra, [], 'noise never adds a label, week or measure');
          noised += doc.metadata.privacy.redaction.rules['noise/laplace'] ?? 0;
          return true;
        },
      ),
      { numRuns: runs, seed: Number(process.env.FC_SEED ?? 7_11_2026), includeErrorInReport: true },
    );
    console.log(`noise property: ${runs} random projects, ${noised} values noised, all consistent`);
  });

  it('export takes the smaller epsilon of config and flag, and derives its noise from the project key', async () => {
    const dir = tempProject();
    const list = fc.sample(events, { numRuns: 1, seed: 42 })[0] ?? [];
    const state = { ...emptyState(new Date('2026-11-24T03:00:00Z')), rollup: rollupOf(list).rollup };
    const produce = (config: number | undefined, flag: number | undefined) =>
      produceExport(state, {
        format: 'json',
        now: base.now,
        projectId: base.projectId,
        options: resolveOptions(config === undefined ? {} : { epsilon: config }, undefined),
        ...(flag === undefined ? {} : { epsilon: flag }),
        projectRoot: dir,
        identity: CORPUS_IDENTITY,
      });
    assert.equal((await produce(2, 0.5)).doc.metadata.privacy.epsilon, 0.5);
    assert.equal(
      (await produce(0.5, 2)).doc.metadata.privacy.epsilon,
      0.5,
      'a flag cannot weaken the config',
    );
    assert.equal((await produce(undefined, 3)).doc.metadata.privacy.epsilon, 3);
    assert.equal((await produce(undefined, undefined)).doc.metadata.privacy.epsilon, null);
    const [a, b] = [await produce(1, undefined), await produce(1, undefined)];
    assert.equal(a.sha256, b.sha256, 'same data, same key, same epsilon: same bytes (a hub counts it once)');
    assert.notEqual(a.doc.metadata.exportId, (await produce(undefined, undefined)).doc.metadata.exportId);
  });
});
