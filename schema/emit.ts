import { readFileSync, writeFileSync } from 'node:fs';
import { renderCollectedMarkdown, replaceCollectedSection } from '../lib/privacy/allow-list-doc.ts';
import { DASHBOARD_SCHEMA_FILE, dashboardJsonSchema } from './dashboard.ts';
import { EXPORT_SCHEMA_FILE, exportJsonSchema, formatJsonSchema } from './json-schema.ts';

// `npm run schema:emit`: regenerates the committed JSON Schema files and the README's "what is
// collected" section (from lib/privacy/allow-list.ts); tests fail when either drifts.
const target = new URL(`./${EXPORT_SCHEMA_FILE}`, import.meta.url);
writeFileSync(target, formatJsonSchema(exportJsonSchema()));
process.stderr.write(`wrote ${target.pathname}\n`);
const dashboard = new URL(`./${DASHBOARD_SCHEMA_FILE}`, import.meta.url);
writeFileSync(dashboard, formatJsonSchema(await dashboardJsonSchema()));
process.stderr.write(`wrote ${dashboard.pathname}\n`);

const readme = new URL('../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = replaceCollectedSection(before, renderCollectedMarkdown());
if (after !== before) writeFileSync(readme, after);
process.stderr.write(`${after === before ? 'unchanged' : 'wrote'} ${readme.pathname} (what is collected)\n`);
