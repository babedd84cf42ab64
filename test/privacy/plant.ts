import { escapePointerSegment } from '../../lib/privacy/walk.ts';

/** Test documents for the gate: a clean export-shaped document, and planting a value in it. */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A small export-shaped document that holds only what a real export holds. */
export function cleanDoc(rand: () => number): { [k: string]: Json } {
  const hex = (n: number) =>
    Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const sketch = () => ({
    alpha: 0.01,
    zero: 0,
    counts: Array.from({ length: 12 }, () => Math.floor(rand() * 50)),
  });
  const capability = (name: string) => ({
    name,
    runs: 40,
    successes: 31,
    durationMs: sketch(),
    languages: { python: 12, typescript: 4 },
    weeks: { '2026-11-16': { runs: 8, successes: 7 }, '2026-11-23': { runs: 5, successes: 3 } },
  });
  return {
    schemaVersion: '1.0',
    metadata: {
      exportId: hex(64),
      createdAt: '2026-11-24T03:00:00.000Z',
      producer: { name: '@tapps-agents/learning', version: '0.1.0' },
      framework: { name: 'tapps-agents', version: '3.6.3' },
      projectId: `p_${hex(16)}`,
      privacy: {
        policyVersion: '2026-11-1',
        k: 5,
        epsilon: null,
        redaction: { scannedStrings: 0, findings: 0, rules: {} },
      },
    },
    capabilities: {
      status: 'recorded',
      items: [
        capability('implementer.write-code'),
        capability('reviewer.review-code'),
        capability(`tester.p_${hex(16)}`),
      ],
    },
    workflows: {
      status: 'recorded',
      items: [{ type: 'rapid-dev', runs: 3, outcomes: { completed: 2, failed: 1 } }],
    },
    failures: {
      status: 'recorded',
      items: [{ capability: 'implementer.write-code', errorType: 'TimeoutError', count: 6 }],
    },
    patterns: { status: 'not-recorded', reason: 'framework-keeps-in-memory-only', items: [] },
  };
}

/** Every object and array of a document with its pointer and depth. */
function containers(
  doc: Json,
  pointer = '',
  depth = 0,
  out: { node: Json; pointer: string; depth: number }[] = [],
) {
  if (doc === null || typeof doc !== 'object') return out;
  out.push({ node: doc, pointer, depth });
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) containers(doc[i] as Json, `${pointer}/${i}`, depth + 1, out);
  } else
    for (const [k, v] of Object.entries(doc))
      containers(v, `${pointer}/${escapePointerSegment(k)}`, depth + 1, out);
  return out;
}

export interface Planted {
  doc: Json;
  /** Pointer the gate must report: a flagged key is written `#<position>`. */
  pointer: string;
  where: 'key' | 'value';
}

/**
 * Puts `value` into a copy of `base` as a key or a value, in a random container, under 0–3
 * extra levels of nesting, and says where the gate should report it.
 */
export function plant(base: Json, value: string, where: 'key' | 'value', rand: () => number): Planted {
  const doc = structuredClone(base);
  const all = containers(doc);
  const target = all[Math.floor(rand() * all.length)] as { node: Json; pointer: string };
  let node = target.node as Json[] | { [k: string]: Json };
  let pointer = target.pointer;
  const extra = Math.floor(rand() * 4);
  for (let i = 0; i < extra; i++) {
    const child: Json[] | { [k: string]: Json } = rand() < 0.5 ? [] : {};
    if (Array.isArray(node)) {
      pointer += `/${node.length}`;
      node.push(child);
    } else {
      const k = `level${i}x`;
      pointer += `/${k}`;
      node[k] = child;
    }
    node = child;
  }
  if (Array.isArray(node)) {
    if (where === 'value') {
      const at = Math.floor(rand() * (node.length + 1));
      node.splice(at, 0, value);
      return { doc, pointer: `${pointer}/${at}`, where };
    }
    const holder: { [k: string]: Json } = {};
    pointer += `/${node.length}`;
    node.push(holder);
    node = holder;
  }
  const obj = node as { [k: string]: Json };
  if (where === 'value') {
    obj.plantedField = value;
    return { doc, pointer: `${pointer}/plantedField`, where };
  }
  obj[value] = 7;
  return { doc, pointer: `${pointer}/#${Object.keys(obj).indexOf(value)}`, where };
}
