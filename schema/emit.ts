import { writeFileSync } from 'node:fs';
import { EXPORT_SCHEMA_FILE, exportJsonSchema, formatJsonSchema } from './json-schema.ts';

// `npm run schema:emit`: regenerates the committed JSON Schema files; a test fails when they drift.
const target = new URL(`./${EXPORT_SCHEMA_FILE}`, import.meta.url);
writeFileSync(target, formatJsonSchema(exportJsonSchema()));
process.stderr.write(`wrote ${target.pathname}\n`);
