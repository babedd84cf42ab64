import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson, sortKeys } from '../../lib/export/canonical.ts';

/** The definition canonicalJson() must keep to, whichever path it takes. */
const reference = (value: unknown) => JSON.stringify(sortKeys(value));

test('canonicalJson is JSON.stringify(sortKeys(value)) for any JSON-like value', () => {
  const key = fc.oneof(
    fc.string(),
    fc.constantFrom('__proto__', 'constructor', 'toJSON', 'a', 'b', '10', '2', 'é', '\u{1f600}', '\ud800'),
  );
  const leaf = fc.oneof(
    fc.string(),
    fc.double(),
    fc.constantFrom(0, -0, 1e21, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constantFrom('\u2028', '"\\', '\u0000\u001f', '\udc00x'),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc
      .tuple(fc.boolean(), fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }))
      .map(([bare, entries]) => {
        // Own data properties, __proto__ included, in the order given (sorted or not).
        const o: Record<string, unknown> = bare ? Object.create(null) : {};
        for (const [k, v] of entries)
          Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        return o;
      }),
  }));
  fc.assert(
    fc.property(value, (x) => {
      assert.equal(canonicalJson(x), reference(x));
    }),
    { numRuns: 2000 },
  );
});

test('canonicalJson falls back to the general path for values that are not plain data', () => {
  const cases: unknown[] = [
    { at: new Date(0), b: 1 },
    { bytes: new Uint8Array([3, 1, 2]) },
    [new Map([['a', 1]]), new Set([1])],
    { toJSON: () => ({ z: 1, a: 2 }) },
    { nested: [{ toJSON: () => 'x' }] },
    { f: () => 1, s: Symbol('s'), u: undefined, a: [undefined, () => 1, Symbol('t')] },
    { boxed: new String('b'), n: new Number(2) },
    'top-level string',
    42,
    null,
  ];
  for (const c of cases) assert.equal(canonicalJson(c), reference(c));
  assert.throws(() => canonicalJson({ big: 1n }), TypeError);
});
