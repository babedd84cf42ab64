import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { LearningOptions } from '../../config/schema.ts';
import { DEFAULT_K, resolveOptions } from '../../lib/options.ts';

describe('options from the committed config only make exports more private', () => {
  it('k: the largest asked for, never below the default; epsilon: the smallest; sections: those both allow', () => {
    assert.equal(resolveOptions(undefined, undefined).k, DEFAULT_K);
    assert.equal(resolveOptions({ k: 2 }, undefined).k, DEFAULT_K, 'a smaller k is ignored');
    assert.equal(resolveOptions({ k: 12 }, { k: 7 }).k, 12, 'code cannot lower the config');
    assert.equal(resolveOptions({ k: 7 }, { k: 12 }).k, 12);
    assert.equal(resolveOptions(undefined, undefined).epsilon, null);
    assert.equal(
      resolveOptions({ epsilon: 0.5 }, { epsilon: 2 }).epsilon,
      0.5,
      'code cannot weaken the noise',
    );
    assert.equal(resolveOptions({ epsilon: 2 }, { epsilon: 0.5 }).epsilon, 0.5);
    assert.equal(resolveOptions(undefined, { epsilon: 3 }).epsilon, 3);
    const s = resolveOptions(
      { sections: ['capabilities', 'workflows', 'experts'] },
      { sections: ['workflows', 'experts', 'health'] },
    );
    assert.deepEqual(s.sections, ['workflows', 'experts']);
    assert.ok(s.configExcludes.includes('capabilities') && s.configExcludes.includes('health'));
    assert.equal(resolveOptions({ submit: false }, { submit: { k: 10 } }).submitDisabledByConfig, true);
  });

  it('sensitive terms: the union of both, one entry per term whatever its case', () => {
    assert.deepEqual(resolveOptions(undefined, undefined).sensitiveTerms, []);
    assert.deepEqual(
      resolveOptions({ sensitiveTerms: ['Globex', 'Initech'] }, { sensitiveTerms: ['globex', 'Umbrella'] })
        .sensitiveTerms,
      ['Globex', 'Initech', 'Umbrella'],
    );
  });

  it('learning.sensitiveTerms is validated with a message that names the rule, never the term', () => {
    const ok = v.safeParse(LearningOptions, { sensitiveTerms: ['  Globex  ', 'Project Orion'] });
    assert.ok(ok.success);
    assert.deepEqual(ok.output.sensitiveTerms, ['Globex', 'Project Orion'], 'trimmed');
    for (const [bad, message] of [
      [['ab'], /at least 3 characters/],
      [['x'.repeat(129)], /at most 128 characters/],
      [['-.-'], /two letters or digits/],
      [Array.from({ length: 257 }, (_, i) => `term${i}`), /at most 256 sensitive terms/],
      ['Globex', /array/i],
    ] as const) {
      const r = v.safeParse(LearningOptions, { sensitiveTerms: bad });
      assert.ok(!r.success, String(bad));
      assert.match(r.issues[0].message, message);
    }
  });
});
