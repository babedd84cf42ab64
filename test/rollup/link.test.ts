import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addCalibration } from '../../lib/rollup/add.ts';
import { emptyRollup } from '../../lib/rollup/empty.ts';
import {
  applyLinkChanges,
  emptyLinks,
  LINK_LIMIT,
  LINK_SLACK_MS,
  LINK_WINDOW_MS,
  linkBook,
  offerConsultation,
  offerStep,
  pruneLinks,
} from '../../lib/rollup/link.ts';
import type { LinkBook } from '../../lib/rollup/link-book.ts';
import { Recorder } from '../../lib/rollup/recorder.ts';
import { loadState } from '../../lib/rollup/state-file.ts';
import type { ConsultationLink, Links, StepLink } from '../../schema/links.ts';
import type { Rollup } from '../../schema/rollup.ts';
import { tempDir } from '../temp-dir.ts';

const T0 = Date.parse('2026-10-05T09:00:00Z');

function consultation(id: string, at: number, over: Partial<ConsultationLink> = {}): ConsultationLink {
  return { id, domain: 'security', decile: 7, agent: 'reviewer', at, ...over };
}
function step(id: string, start: number, end: number, ok: boolean, over: Partial<StepLink> = {}): StepLink {
  return { id, agent: 'reviewer', start, end, ok, ...over };
}

/** What the recorder does with each arrival, on a bare book and rollup. */
function arrive(book: LinkBook, r: Rollup, x: { c: ConsultationLink } | { s: StepLink }): void {
  if ('c' in x) {
    const outcome = offerConsultation(book, x.c);
    if (typeof outcome === 'boolean') addCalibration(r, x.c.domain, x.c.decile, outcome);
  } else for (const c of offerStep(book, x.s)) addCalibration(r, c.domain, c.decile, x.s.ok);
}

const tables = (r: Rollup) =>
  Object.fromEntries(Object.entries(r.experts).map(([d, e]) => [d, e.calibration]));

describe('calibration join (lib/rollup/link.ts)', () => {
  it('property: whatever the arrival order, each consultation is credited once, to the step that ran it', () => {
    // Steps of two agents laid end to end with gaps; consultations inside a step or well outside any.
    const plan = fc.array(
      fc.record({
        agent: fc.constantFrom('reviewer', 'tester'),
        gap: fc.integer({ min: 3 * LINK_SLACK_MS, max: 60_000 }),
        length: fc.integer({ min: 1, max: 7_200_000 }),
        ok: fc.boolean(),
        inside: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), decile: fc.nat(9) }), {
          maxLength: 4,
        }),
        strays: fc.nat(2),
      }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(plan, fc.integer(), (p, seed) => {
        const arrivals: ({ c: ConsultationLink } | { s: StepLink })[] = [];
        const expected: Record<string, Record<string, [number, number]>> = {};
        let t = T0;
        let n = 0;
        for (const [i, s] of p.entries()) {
          t += s.gap;
          const st = step(`s${i}`, t, t + s.length, s.ok, { agent: s.agent });
          arrivals.push({ s: st });
          for (const c of s.inside) {
            const domain = `d${c.decile % 3}`;
            arrivals.push({
              c: consultation(`c${n++}`, st.start + Math.floor(c.at * s.length), {
                agent: s.agent,
                domain,
                decile: c.decile,
              }),
            });
            const table = expected[domain] ?? {};
            expected[domain] = table;
            const cell = table[String(c.decile)] ?? [0, 0];
            table[String(c.decile)] = cell;
            cell[0] += 1;
            if (s.ok) cell[1] += 1;
          }
          // Asked in the gap before this step: no step ran then, never credited.
          for (let k = 0; k < s.strays; k++)
            arrivals.push({ c: consultation(`x${n++}`, t - s.gap + LINK_SLACK_MS + 1, { agent: s.agent }) });
          t += s.length;
        }
        // A seeded shuffle: consultations before their step, after it, or interleaved.
        let x = seed;
        const order = arrivals
          .map((a) => {
            x = (x * 1_103_515_245 + 12_345) | 0;
            return { a, k: x };
          })
          .sort((a, b) => a.k - b.k)
          .map((o) => o.a);
        const book = linkBook();
        const r = emptyRollup();
        for (const a of order) arrive(book, r, a);
        assert.deepEqual(tables(r), expected);
        const linked = Object.values(expected)
          .flatMap((d) => Object.values(d))
          .reduce((a, [k]) => a + k, 0);
        assert.equal(r.provided.calibration, linked);
      }),
      { numRuns: 300, seed: 9_11_2026 },
    );
  });

  it('a consultation on the boundary of two touching attempts with different outcomes is left out', () => {
    const book = linkBook();
    offerStep(book, step('a1', T0, T0 + 1000, false));
    offerStep(book, step('a2', T0 + 1000, T0 + 5000, true));
    assert.equal(offerConsultation(book, consultation('c1', T0 + 1000)), 'ambiguous');
    // Inside one attempt beats within the other's slack.
    assert.equal(offerConsultation(book, consultation('c2', T0 + 1200)), true);
    assert.equal(offerConsultation(book, consultation('c3', T0 + 800)), false);
    // Touching attempts that agree: the outcome is the same whichever it was.
    offerStep(book, step('b1', T0 + 9000, T0 + 10_000, true));
    offerStep(book, step('b2', T0 + 10_000, T0 + 11_000, true));
    assert.equal(offerConsultation(book, consultation('c4', T0 + 10_000)), true);
    assert.equal(book.waiting.length, 0, 'neither a linked nor an ambiguous one waits');
  });

  it('matches by the named step first, then by agent and time with the slack; another agent never', () => {
    const book = linkBook();
    offerStep(book, step('s1', T0, T0 + 10_000, false, { step: 'p_1' }));
    offerStep(book, step('s2', T0, T0 + 2_000, true));
    assert.equal(offerConsultation(book, consultation('c1', T0 + 500, { step: 'p_1' })), false);
    assert.equal(
      offerConsultation(book, consultation('c2', T0 + 500)),
      'ambiguous',
      'two runs of the same agent at once (parallel workflows) with different outcomes',
    );
    assert.equal(offerConsultation(book, consultation('c3', T0 + 10_000 + LINK_SLACK_MS)), false);
    assert.equal(offerConsultation(book, consultation('c4', T0 + 10_001 + LINK_SLACK_MS)), undefined);
    assert.equal(offerConsultation(book, consultation('c5', T0 + 500, { agent: 'tester' })), undefined);
    assert.deepEqual(
      book.waiting.map((c) => c.id),
      ['c4', 'c5'],
    );
    // The tester's step comes later and settles the waiting tester consultation only.
    const settled = offerStep(book, step('s3', T0, T0 + 1_000, true, { agent: 'tester' }));
    assert.deepEqual(
      settled.map((c) => c.id),
      ['c5'],
    );
  });

  it('keeps each side for two days of event time and at most LINK_LIMIT entries, the newest', () => {
    const book = emptyLinks();
    book.steps.push(
      step('old', T0, T0 + 1, true),
      step('new', T0 + LINK_WINDOW_MS, T0 + LINK_WINDOW_MS + 5, true),
    );
    book.consultations.push(consultation('old', T0 + 4), consultation('edge', T0 + 5));
    const pruned = pruneLinks(book);
    assert.deepEqual(
      pruned.steps.map((s) => s.id),
      ['new'],
    );
    assert.deepEqual(
      pruned.consultations.map((c) => c.id),
      ['edge'],
    );
    const many = emptyLinks();
    for (let i = 0; i < LINK_LIMIT + 10; i++) many.consultations.push(consultation(`c${i}`, T0 + i));
    const capped = pruneLinks(many);
    assert.equal(capped.consultations.length, LINK_LIMIT);
    assert.equal(capped.consultations[0]?.id, 'c10');
  });

  it('a flush applies its own changes to what is on disk now: a concurrent process’s entries survive', () => {
    const loaded: Links = { consultations: [consultation('a', T0), consultation('b', T0 + 1)], steps: [] };
    const mine = structuredClone(loaded);
    // This process settled `a` and added `c`; meanwhile another one added `d` and settled `b`.
    mine.consultations = [mine.consultations[1] as ConsultationLink, consultation('c', T0 + 2)];
    const disk: Links = { consultations: [consultation('a', T0), consultation('d', T0 + 3)], steps: [] };
    const after = applyLinkChanges(disk, mine, new Set(['c']), new Set(['a']));
    assert.deepEqual(
      after.consultations.map((c) => c.id),
      ['d', 'c'],
    );
  });
});

describe('calibration join through the recorder', () => {
  it('links a consultation saved by one process to a step recorded by the next, once', async () => {
    const root = tempDir('link-recorder-');
    try {
      const clock = () => new Date('2026-10-05T12:00:00Z');
      const first = new Recorder(root, clock);
      const consult = {
        id: 'consult:1',
        source: 'expert-performance',
        expertId: 'expert-security',
        domain: 'security',
        confidence: 0.1,
        combinedConfidence: 0.82,
        agent: 'reviewer',
        at: '2026-10-05T09:00:02.000Z',
      };
      assert.equal(first.record('consultation', consult), 'added');
      // Another agent's step at the same time is not the one it advised.
      first.record('task', {
        id: 'step:other',
        source: 'markers',
        agent: 'tester',
        status: 'failure',
        startedAt: '2026-10-05T09:00:00.000Z',
        finishedAt: '2026-10-05T09:00:09.000Z',
      });
      await first.flush();
      let saved = loadState(root).state;
      assert.deepEqual(saved.rollup.experts.security?.calibration, {});
      assert.equal(saved.links.consultations.length, 1);
      assert.doesNotMatch(JSON.stringify(saved.links), /reviewer-|consult:1|expert-perf/);

      const next = new Recorder(root, clock);
      const reviewStep = {
        id: 'step:wf:review:ok:1',
        source: 'event-log',
        agent: 'reviewer',
        action: 'review_code',
        status: 'success' as const,
        startedAt: '2026-10-05T09:00:00.000Z',
        finishedAt: '2026-10-05T09:00:05.000Z',
      };
      assert.equal(next.record('task', reviewStep), 'added');
      // The same step reported by a second store is a duplicate: it links nothing again.
      assert.equal(next.record('task', { ...reviewStep, source: 'markers' }), 'duplicate');
      await next.flush();
      saved = loadState(root).state;
      // The combined confidence (0.82, what the reviewer received) decides the row, not the expert's own.
      assert.deepEqual(saved.rollup.experts.security?.calibration, { '8': [1, 1] });
      assert.equal(saved.rollup.provided.calibration, 1);
      assert.equal(saved.links.consultations.length, 0);
      assert.equal(saved.rollup.experts.security?.consultations, 1, 'the consultation is counted once');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
