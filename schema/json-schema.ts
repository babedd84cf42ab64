import { toJsonSchema } from '@valibot/to-json-schema';
import { ExportV1 } from './export-v1.ts';

export const EXPORT_SCHEMA_FILE = 'learning-export.v1.schema.json';

/**
 * JSON Schema 2020-12 of the export, generated from the valibot source. `finite` is left out: JSON
 * cannot encode NaN or Infinity, so every JSON number already is finite.
 */
export function exportJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://github.com/tapps-agents/learning/schema/learning-export.v1.schema.json',
    title: 'TappsCodingAgents learning export, version 1',
    ...toJsonSchema(ExportV1, { target: 'draft-2020-12', errorMode: 'throw', ignoreActions: ['finite'] }),
  };
}

export function formatJsonSchema(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
