import { SECTION_NAMES } from '../../config/schema.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import type { Payload } from './payload.ts';

/** GitHub refuses an issue body over 65,536 characters. */
export const GITHUB_BODY_LIMIT = 65_536;
/** GitHub answers 414 to a new-issue URL above about 8,191 bytes (github/docs#5136); stay clear of it. */
export const PREFILLED_URL_LIMIT = 8_000;
export const ISSUE_LABELS = ['learning-data'] as const;

/**
 * Issues are built only from the gated document's numbers and ids: no text of the user's project
 * reaches them except through the export, which the gate has already passed.
 */
export function issueTitle(doc: ExportV1): string {
  const p = doc.metadata.period;
  const period = p.firstWeek && p.lastWeek ? `, weeks ${p.firstWeek}..${p.lastWeek}` : '';
  return `Learning data ${doc.metadata.exportId.slice(0, 12)}: ${doc.totals.tasks} tasks${period}`;
}

/** A machine-readable marker, so maintainers' tooling finds submissions and their ids among issues. */
export function issueMarker(payload: Payload): string {
  return `<!-- tapps-agents-learning-submission v1 exportId=${payload.exportId} sha256=${payload.sha256} format=${payload.format} encoding=gzip+base64 -->`;
}

export function summaryTable(doc: ExportV1, payload: Payload): string {
  const m = doc.metadata;
  const recorded = SECTION_NAMES.filter((s) => doc[s].status === 'recorded').map(
    (s) => `${s} (${doc[s].items.length})`,
  );
  const rows: [string, string][] = [
    ['Export id', `\`${m.exportId}\``],
    ['Schema', doc.schemaVersion],
    ['Producer', `${m.producer.name} ${m.producer.version}`],
    ['Framework', `${m.framework.name} ${m.framework.version}`],
    ['Period (weeks)', m.period.firstWeek ? `${m.period.firstWeek} .. ${m.period.lastWeek}` : 'no data yet'],
    [
      'Tasks / workflow runs / consultations',
      `${doc.totals.tasks} / ${doc.totals.workflowRuns} / ${doc.totals.consultations}`,
    ],
    ['Sections with data', recorded.length > 0 ? recorded.join(', ') : 'none'],
    [
      'Privacy',
      `policy ${m.privacy.policyVersion}, k=${m.privacy.k}, epsilon ${m.privacy.epsilon ?? 'none'}, ${m.privacy.suppressedCells} cells suppressed, ${m.privacy.redaction.scannedStrings} strings gated`,
    ],
    ['Payload', `${payload.bytes.byteLength} bytes, ${payload.format} + gzip, SHA-256 \`${payload.sha256}\``],
  ];
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

export function base64Lines(bytes: Uint8Array, width = 76): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
  return lines.join('\n');
}

export function payloadBlock(payload: Payload): string {
  const ext = payload.format === 'msgpack' ? 'msgpack' : 'json';
  return [
    `<details><summary>Export (${ext}, gzip, base64: ${payload.bytes.byteLength} bytes)</summary>`,
    '',
    '```',
    base64Lines(payload.bytes),
    '```',
    '',
    `Decode: \`base64 -d | gunzip\`${payload.format === 'msgpack' ? ' (MessagePack)' : ''}; the SHA-256 of the decoded base64 is the one above.`,
    '</details>',
  ].join('\n');
}

function intro(): string {
  return 'Anonymized learning rollups from a TappsCodingAgents project, sent with `tapps-agents learning submit`.';
}

/** The body for the REST API: summary and the whole payload. Null when it would pass GitHub's limit. */
export function apiIssueBody(doc: ExportV1, payload: Payload): string | null {
  const body = [
    issueMarker(payload),
    intro(),
    '',
    summaryTable(doc, payload),
    '',
    payloadBlock(payload),
  ].join('\n');
  return body.length <= GITHUB_BODY_LIMIT ? body : null;
}

/** The largest payload whose base64 still fits an API issue body, for the error message. */
export function maxApiPayloadBytes(): number {
  return Math.floor(((GITHUB_BODY_LIMIT - 2_500) * 76) / 77 / 4) * 3;
}

export interface PrefilledIssue {
  url: string;
  /** True when the payload is inside the URL; false when the user must attach the file. */
  inline: boolean;
}

/**
 * A new-issue URL with title, label and body filled in. The payload goes inline when the URL stays
 * under the limit; otherwise the body asks to attach the file. Null when even that is too long.
 */
export function prefilledIssue(
  webBase: string,
  owner: string,
  repo: string,
  doc: ExportV1,
  payload: Payload,
  attachmentName: string,
): PrefilledIssue | null {
  const head = `${webBase}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/new`;
  const url = (body: string) =>
    `${head}?title=${encodeURIComponent(issueTitle(doc))}&labels=${encodeURIComponent(ISSUE_LABELS.join(','))}&body=${encodeURIComponent(body)}`;
  const inline = url(
    [issueMarker(payload), intro(), '', summaryTable(doc, payload), '', payloadBlock(payload)].join('\n'),
  );
  if (inline.length <= PREFILLED_URL_LIMIT) return { url: inline, inline: true };
  const attach = url(
    [
      issueMarker(payload),
      intro(),
      '',
      summaryTable(doc, payload),
      '',
      `**Attach \`${attachmentName}\` here before submitting** (drag the file into this box); its SHA-256 is in the table.`,
    ].join('\n'),
  );
  return attach.length <= PREFILLED_URL_LIMIT ? { url: attach, inline: false } : null;
}
