import type * as v from 'valibot';

type AnySchema = v.GenericSchema & {
  readonly type: string;
  readonly wrapped?: AnySchema;
  readonly entries?: Record<string, AnySchema>;
  readonly item?: AnySchema;
  readonly options?: readonly AnySchema[];
};

/**
 * Every leaf field of a valibot object schema as a path (`a.b`, `a[]`, `a[].b`, `a.*`), read from
 * the schema itself so that a field added to an event can never be missing from the allow-list
 * table unnoticed. Optional and nullable wrappers and pipes are looked through; a record is one
 * field (its keys and values), a union is the union of its options' fields.
 */
export function schemaFieldPaths(schema: v.GenericSchema): string[] {
  const out = new Set<string>();
  visit(schema as AnySchema, '', out);
  return [...out];
}

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'nullish',
  'exact_optional',
  'non_optional',
  'non_nullable',
]);
const OBJECTS = new Set(['object', 'loose_object', 'strict_object', 'object_with_rest']);

function visit(schema: AnySchema, path: string, out: Set<string>): void {
  const s = unwrap(schema);
  if (OBJECTS.has(s.type) && s.entries) {
    for (const [key, child] of Object.entries(s.entries)) visit(child, path ? `${path}.${key}` : key, out);
    return;
  }
  if (s.type === 'array' && s.item) {
    const items = `${path}[]`;
    if (OBJECTS.has(unwrap(s.item).type)) visit(s.item, items, out);
    else out.add(items);
    return;
  }
  if ((s.type === 'union' || s.type === 'variant') && s.options) {
    for (const option of s.options) visit(option, path, out);
    return;
  }
  if (s.type === 'record') {
    out.add(`${path}.*`);
    return;
  }
  out.add(path);
}

function unwrap(s: AnySchema): AnySchema {
  return WRAPPERS.has(s.type) && s.wrapped ? unwrap(s.wrapped) : s;
}
