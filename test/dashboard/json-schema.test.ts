import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_SCHEMA_FILE, dashboardJsonSchema } from '../../schema/dashboard.ts';
import { formatJsonSchema } from '../../schema/json-schema.ts';

type Node = {
  type?: string;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: unknown;
  description?: string;
  enum?: string[];
};

describe('the JSON Schema of learning dashboard --json', () => {
  it('documents a closed object with the verdict at the top', async () => {
    const s = (await dashboardJsonSchema()) as Node & { $schema?: string; $id?: string };
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(s.$id?.endsWith(DASHBOARD_SCHEMA_FILE));
    assert.equal(s.type, 'object');
    assert.equal(s.additionalProperties, false);
    assert.ok(s.required?.includes('verdict'));
    assert.deepEqual(s.properties?.verdict?.properties?.status?.enum, [
      'learning-active',
      'stalled',
      'not-recorded',
      'not-enough-data',
    ]);
    assert.match(s.description ?? '', /learning dashboard --json/);
    assert.match(s.properties?.method?.description ?? '', /statistical settings/);
  });

  it('matches the committed schema file once schema/emit.ts writes it', async (t) => {
    const file = fileURLToPath(new URL(`../../schema/${DASHBOARD_SCHEMA_FILE}`, import.meta.url));
    if (!existsSync(file))
      return t.skip(
        `schema/${DASHBOARD_SCHEMA_FILE} is not emitted yet (wire dashboardJsonSchema into schema/emit.ts)`,
      );
    assert.equal(
      readFileSync(file, 'utf8'),
      formatJsonSchema(await dashboardJsonSchema()),
      'run npm run schema:emit',
    );
  });
});
