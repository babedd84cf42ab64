import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preventionHint } from '../../lib/dashboard/prevention-hints.ts';
import { ERROR_CATEGORIES, KNOWN_ERROR_TYPES } from '../../lib/privacy/known-names.ts';

const GENERIC = preventionHint('SomethingNobodyKnows');

describe('prevention hints', () => {
  it('every error type and category the allow-list can produce has its own hint', () => {
    for (const t of [...KNOWN_ERROR_TYPES, ...ERROR_CATEGORIES]) {
      const hint = preventionHint(t);
      assert.notEqual(hint, GENERIC, `${t} has no specific hint`);
      assert.ok(hint.length > 10 && hint.length <= 500);
    }
  });

  it('timeouts say to raise the step timeout or split the task', () => {
    assert.equal(
      preventionHint('TimeoutError'),
      'raise the step timeout or split the task into smaller steps',
    );
    assert.equal(preventionHint('timeout'), preventionHint('TimeoutError'));
  });

  it('pseudonymous and folded error types get a hint too, and no lookup reaches Object.prototype', () => {
    assert.match(preventionHint('p_0123456789abcdef'), /project-specific/);
    assert.match(preventionHint('__other__'), /rarer error types/);
    assert.equal(preventionHint('constructor'), GENERIC);
    assert.equal(preventionHint('__proto__'), GENERIC);
  });
});
