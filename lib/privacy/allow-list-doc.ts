import {
  ALLOW_LIST,
  EVENT_SCHEMAS,
  EXTRA_FIELDS_RULE,
  type FieldRule,
  NEVER_COLLECTED,
} from './allow-list.ts';

export const COLLECTED_START = '<!-- collected:start -->';
export const COLLECTED_END = '<!-- collected:end -->';

/**
 * The README's "what is collected" section, rendered from the allow-list table so the document
 * cannot drift from the code (`npm run schema:emit` writes it; a test compares).
 */
export function renderCollectedMarkdown(rules: readonly FieldRule[] = ALLOW_LIST): string {
  const lines: string[] = [
    '<!-- generated from lib/privacy/allow-list.ts by `npm run schema:emit`; edit the table there -->',
    '',
    'Every field of the three events the framework reports, and what the allow-list',
    '(`lib/privacy/observe.ts`) does with it. Only the result (an *observation*) reaches the rollups;',
    'the raw event is never written anywhere. A test fails when an event gains a field this table does',
    'not classify, or when the code treats a field otherwise than its row says.',
    '',
    'The last column is the expert-calibration join (`lib/privacy/link-facts.ts`): to tell which step',
    'a consultation advised, it keeps a few values of a consultation or a step for up to two days, in',
    'the local state file only. Exports carry only its result, per domain: linked consultations and',
    'successful advised steps for each tenth of confidence.',
    '',
    '- **kept**: a number or enum value, bounds checked;',
    '- **generalized**: reduced to a coarse value (UTC day, language, error category, fixed bucket);',
    '- **pseudonymized**: names the framework ships stay readable; any other name becomes',
    '  `p_` + 16 hex digits of HMAC-SHA-256 under this project’s own 256-bit secret key;',
    '- **dropped**: never read.',
    '',
  ];
  for (const [event, schema] of Object.entries(EVENT_SCHEMAS)) {
    lines.push(
      `**${schema}**`,
      '',
      '| field | treatment | becomes | how | calibration join (local) |',
      '|---|---|---|---|---|',
    );
    for (const r of rules.filter((x) => x.event === event))
      lines.push(
        `| \`${r.field}\` | ${r.treatment} | ${cell(r.becomes)} | ${cell(r.how)} | ${cell(r.join ?? '—')} |`,
      );
    lines.push(`| *other* | dropped | — | ${cell(EXTRA_FIELDS_RULE)} | — |`, '');
  }
  lines.push('**Never collected**, because no row above keeps it:', '');
  for (const item of NEVER_COLLECTED) lines.push(`- ${item}`);
  lines.push('');
  return lines.join('\n');
}

/** A table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * `document` with the text between the collected markers replaced by `section`. Throws when the
 * markers are missing or out of order: the section is never appended somewhere unexpected.
 */
export function replaceCollectedSection(document: string, section: string): string {
  const start = document.indexOf(COLLECTED_START);
  const end = document.indexOf(COLLECTED_END);
  if (start < 0 || end < 0 || end < start)
    throw new Error(`README.md has no ${COLLECTED_START} … ${COLLECTED_END} markers (in this order)`);
  const head = document.slice(0, start + COLLECTED_START.length);
  return `${head}\n${section.trimEnd()}\n${document.slice(end)}`;
}

/** The text between the markers, for the drift test; null when the markers are missing. */
export function collectedSection(document: string): string | null {
  const start = document.indexOf(COLLECTED_START);
  const end = document.indexOf(COLLECTED_END);
  if (start < 0 || end < start) return null;
  return document.slice(start + COLLECTED_START.length, end).trim();
}
