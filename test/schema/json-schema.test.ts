import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EXPORT_SCHEMA_FILE, exportJsonSchema, formatJsonSchema } from '../../schema/json-schema.ts';

describe('generated JSON Schema', () => {
  it('is committed and matches the valibot source (run `npm run schema:emit` after changing schema/)', () => {
    const committed = readFileSync(new URL(`../../schema/${EXPORT_SCHEMA_FILE}`, import.meta.url), 'utf8');
    assert.equal(committed, formatJsonSchema(exportJsonSchema()));
  });

  it('is draft 2020-12 with closed objects', () => {
    const s = exportJsonSchema();
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(s.additionalProperties, false);
    assert.deepEqual(
      (s.required as string[]).sort(),
      [
        'capabilities',
        'decisions',
        'effectiveness',
        'experts',
        'failures',
        'health',
        'metadata',
        'patterns',
        'schemaVersion',
        'security',
        'totals',
        'workflows',
      ].sort(),
    );
  });
});
