import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SECTION_NAMES } from '../../config/schema.ts';
import { resolveOptions } from '../../lib/options.ts';
import { describeRestrictions, submitOptions } from '../../lib/submit/restrictions.ts';

describe('submit restrictions from the committed config', () => {
  it('narrows sections, raises k, adds noise', () => {
    const base = resolveOptions({ epsilon: 2 }, undefined);
    const o = submitOptions(base, { sections: ['capabilities', 'health'], k: 12, epsilon: 0.5 });
    assert.deepEqual(o.sections, ['capabilities', 'health']);
    assert.equal(o.k, 12);
    assert.equal(o.epsilon, 0.5);
    assert.deepEqual(submitOptions(base, undefined), base);
    assert.deepEqual(submitOptions(base, false), base);
  });

  it('property: whatever the config says, a submission is never wider than without it', () => {
    const section = fc.constantFrom(...SECTION_NAMES);
    fc.assert(
      fc.property(
        fc.record(
          {
            k: fc.integer({ min: 1, max: 1000 }),
            epsilon: fc.double({ min: 0.01, max: 100, noNaN: true }),
            sections: fc.array(section),
          },
          { requiredKeys: [] },
        ),
        fc.record(
          {
            k: fc.integer({ min: 1, max: 1000 }),
            epsilon: fc.double({ min: 0.01, max: 100, noNaN: true }),
            sections: fc.array(section),
          },
          { requiredKeys: [] },
        ),
        (learning, submit) => {
          const base = resolveOptions(learning, undefined);
          const o = submitOptions(base, submit);
          assert.ok(o.k >= base.k && o.k >= 5);
          assert.ok(o.sections.every((s) => base.sections.includes(s)));
          if (base.epsilon !== null) assert.ok(o.epsilon !== null && o.epsilon <= base.epsilon);
        },
      ),
    );
  });

  it('describes what applies and what was ignored', () => {
    const learning = { k: 2, submit: { k: 3, sections: ['capabilities' as const] } };
    const d = describeRestrictions(
      learning,
      submitOptions(resolveOptions(learning, undefined), learning.submit),
      '/p/c.ts',
    );
    assert.equal(d.applied.length, 1);
    assert.match(d.applied[0] ?? '', /sections left out of every submission: workflows, experts/);
    assert.deepEqual(d.ignored, [
      'learning.k: 2 is below the minimum 5; a committed config can only raise k',
      'learning.submit.k: 3 is below the minimum 5; a committed config can only raise k',
    ]);
    assert.match(
      describeRestrictions({ submit: false }, resolveOptions({ submit: false }, undefined), '/p/c.ts')
        .applied[0] ?? '',
      /submission is off/,
    );
  });
});
