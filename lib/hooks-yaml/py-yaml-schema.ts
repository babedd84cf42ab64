import { DEFAULT_SCHEMA, type Schema, Type } from 'js-yaml';

/**
 * The framework reads hooks.yaml with PyYAML's `safe_load`, which resolves plain scalars by YAML 1.1
 * rules; js-yaml follows YAML 1.2. They disagree on words like `yes`/`on`/`off` (booleans for
 * PyYAML), on `1_000` or `1:30` (integers) and on `1e3` or `0o17` (strings). A hook named `on` is
 * a boolean to the framework, and pydantic then rejects the file: so these three scalar types are
 * replaced by PyYAML's own resolution rules, and a check here sees what the framework will see.
 */
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function sexagesimal(text: string): number {
  return text.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

function int(data: string): number {
  const sign = data.startsWith('-') ? -1 : 1;
  const t = data.replace(/^[-+]/, '').replace(/_/g, '');
  if (t.includes(':')) return sign * sexagesimal(t);
  if (t.startsWith('0b')) return sign * Number.parseInt(t.slice(2), 2);
  if (t.startsWith('0x')) return sign * Number.parseInt(t.slice(2), 16);
  if (t.length > 1 && t.startsWith('0')) return sign * Number.parseInt(t.slice(1), 8);
  return sign * Number(t);
}

function float(data: string): number {
  const t = data.replace(/_/g, '').toLowerCase();
  if (t.endsWith('.nan')) return Number.NaN;
  if (t.endsWith('.inf')) return t.startsWith('-') ? -Infinity : Infinity;
  if (t.includes(':')) return (t.startsWith('-') ? -1 : 1) * sexagesimal(t.replace(/^[-+]/, ''));
  return Number(t);
}

const pyBool = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data) => data !== null && BOOL.test(data),
  construct: (data) => data !== null && /^(?:yes|true|on)$/i.test(data),
  predicate: (x) => typeof x === 'boolean',
});

const pyInt = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data) => data !== null && INT.test(data),
  construct: (data) => int(data ?? '0'),
  predicate: (x) => typeof x === 'number' && Number.isInteger(x),
});

const pyFloat = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data) => data !== null && FLOAT.test(data),
  construct: (data) => float(data ?? '0'),
  predicate: (x) => typeof x === 'number' && !Number.isInteger(x),
});

/** js-yaml's default schema (timestamps, merge keys, binary…) with PyYAML's bool, int and float. */
export const PY_YAML_SCHEMA: Schema = DEFAULT_SCHEMA.extend({ implicit: [pyBool, pyInt, pyFloat] });
