import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeText } from '../../lib/submit/safe-text.ts';

describe('safeText', () => {
  it('removes terminal escapes and bidi controls, and bounds the length', () => {
    assert.equal(safeText('bad \u001b]0;owned\u0007 \u001b[2Jtitle\r\nnext'), 'bad ]0;owned [2Jtitle next');
    assert.equal(safeText('a\u202eb'), 'a b');
    assert.equal(safeText('x'.repeat(500), 10), `${'x'.repeat(9)}…`);
  });

  it('property: the result has no control characters and fits the bound', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400, unit: 'binary' }),
        fc.integer({ min: 2, max: 300 }),
        (s, max) => {
          const out = safeText(s, max);
          assert.ok(out.length <= max);
          for (const ch of out)
            assert.ok(
              ch.charCodeAt(0) >= 0x20 && !(ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f),
              JSON.stringify(out),
            );
        },
      ),
    );
  });
});
