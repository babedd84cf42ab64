import type { Dashboard } from '../../schema/dashboard.ts';

/** Strings a merged rollup from strangers could try to slip into a page (the hub renders those). */
export const HOSTILE = [
  '</script><script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '\u2028\u2029"quote" & <b>bold</b>',
  '<!--',
];

/** The model with its labels replaced by hostile strings, bypassing the schema (as a buggy caller might). */
export function hostileModel(d: Dashboard): Dashboard {
  const m = structuredClone(d);
  m.capabilities.forEach((c, i) => {
    c.name = HOSTILE[i % HOSTILE.length] as string;
  });
  m.failures.byCapability.forEach((c, i) => {
    c.capability = HOSTILE[i % HOSTILE.length] as string;
    for (const e of c.errors) e.errorType = HOSTILE[(i + 1) % HOSTILE.length] as string;
  });
  m.failures.byErrorType.forEach((e, i) => {
    e.errorType = HOSTILE[i % HOSTILE.length] as string;
  });
  m.verdict.reason = HOSTILE.join(' ');
  m.experts.forEach((e, i) => {
    e.domain = HOSTILE[i % HOSTILE.length] as string;
  });
  return m;
}
