/**
 * JSON exactly as Python's `json.dumps` writes it: `", "` and `": "` separators (or `indent=2`),
 * `ensure_ascii` escapes, and float repr (`100.0`, `3.9e-05`). JS numbers do not say int or float,
 * so floats are wrapped with `f()`.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

export function f(value: number): PyFloat {
  return new PyFloat(value);
}

export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [m, e] = x.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    return `${m}e${sign}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  if (Number.isInteger(x)) return `${Object.is(x, -0) ? '-0' : String(x)}.0`;
  return String(x);
}

const NON_ASCII = /[\u0080-\uffff]/g;
const quoted = new Map<string, string>();

function pyString(s: string): string {
  // Keys and enum values repeat on every record: quote each once.
  const hit = quoted.get(s);
  if (hit !== undefined) return hit;
  let q = JSON.stringify(s);
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      q = q.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      break;
    }
  }
  if (s.length <= 48) {
    if (quoted.size > 50_000) quoted.clear();
    quoted.set(s, q);
  }
  return q;
}

export function dumps(value: unknown, indent?: number, level = 0): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return pyString(value);
  const pad = indent === undefined ? '' : `\n${' '.repeat(indent * (level + 1))}`;
  const end = indent === undefined ? '' : `\n${' '.repeat(indent * level)}`;
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => pad + dumps(v, indent, level + 1)).join(sep)}${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, v]) => `${pad}${pyString(k)}: ${dumps(v, indent, level + 1)}`).join(sep)}${end}}`;
}
