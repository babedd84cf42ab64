import type { ExportV1 } from '../../schema/export-v1.ts';
import type { DocumentVersion } from '../../schema/migrate.ts';
import { sha256Hex } from '../export/canonical.ts';
import { DecodeError, decodeDocument } from '../export/decode.ts';
import { validateDocument } from '../export/validate.ts';
import type { GateFinding, GateReport } from '../privacy/gate.ts';
import { MAX_PROBLEMS, type Problem, Rejection } from './rejection.ts';
import { safeMessage, withoutReceived } from './sanitize.ts';

export interface AdmitInput {
  body: Uint8Array;
  /** `Content-Encoding` as sent (gzip is also recognized by its magic bytes). */
  contentEncoding?: string | null;
  /** `Idempotency-Key`: when given it must be the document's exportId. */
  idempotencyKey?: string | null;
  maxBytes: number;
  /** The privacy gate (lib/privacy/gate.ts); run on every document that passed the schema. */
  gate: (doc: ExportV1) => Promise<GateReport>;
}

export interface Admitted {
  doc: ExportV1;
  version: 'v1' | 'python-1.0';
  format: 'json' | 'msgpack';
  gzip: boolean;
  bytesSha256: string;
}

const GZIP = new Set(['gzip', 'x-gzip']);

/**
 * Bytes → a document the hub may store, or a typed Rejection. Order matters: cheap checks first,
 * the schema before the gate (the gate then walks a bounded, known shape), nothing stored here.
 */
export async function admit(input: AdmitInput): Promise<Admitted> {
  const encoding = (input.contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity' && !GZIP.has(encoding))
    throw new Rejection(
      'schema',
      415,
      `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send gzip or no encoding`,
    );
  const body = input.body;
  const isGzip = body[0] === 0x1f && body[1] === 0x8b;
  if (GZIP.has(encoding) && !isGzip)
    throw new Rejection('schema', 400, 'Content-Encoding says gzip, but the body is not gzip data');
  if (body.byteLength === 0)
    throw new Rejection(
      'schema',
      400,
      'the body is empty; send an export document (JSON or MessagePack, optionally gzip)',
    );

  let decoded: ReturnType<typeof decodeDocument>;
  try {
    decoded = decodeDocument(body, input.maxBytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    if (error.reason === 'size')
      throw new Rejection('size', 413, `${error.message} (limit ${input.maxBytes} bytes)`);
    throw new Rejection('schema', 400, safeMessage(error.message));
  }

  const value = decoded.value;
  const result = validateDocument(value);
  if (!result.ok || !result.document) {
    if (result.version === 'unknown' && looksVersioned(value))
      throw new Rejection(
        'version',
        422,
        `unsupported export version ${describeVersion(value)}; this hub reads schemaVersion 1.x and the framework's Python export 1.0`,
      );
    const problems = result.problems.slice(0, MAX_PROBLEMS).map(clientProblem);
    throw new Rejection(
      'schema',
      422,
      `the document does not match the ${result.version} export schema (${result.problems.length} problem(s))`,
      problems,
    );
  }
  const doc = result.document;
  if (doc.metadata.raw)
    throw new Rejection(
      'raw',
      422,
      'a raw (non-anonymized) export is for local debugging only and is never accepted',
      [
        {
          pointer:
            result.version === 'python-1.0' ? '/export_metadata/anonymization_applied' : '/metadata/raw',
          message: 'raw export',
        },
      ],
    ).about(doc);
  const created = Date.parse(doc.metadata.createdAt);
  // The schema checks the form; a time the database cannot hold (year 0, 99999) is refused here.
  if (!(created >= Date.UTC(1970, 0, 1) && created < Date.UTC(10000, 0, 1)))
    throw new Rejection('schema', 422, 'metadata.createdAt is not a time between 1970 and 9999', [
      { pointer: '/metadata/createdAt', message: 'out of range' },
    ]).about(doc);
  const key = input.idempotencyKey?.trim();
  if (key && key !== doc.metadata.exportId)
    throw new Rejection('schema', 422, "the Idempotency-Key header is not this document's exportId", [
      { pointer: '/metadata/exportId', message: 'differs from the Idempotency-Key header' },
    ]).about(doc);
  const findings = gateFindings(await input.gate(doc), result.version);
  if (findings.length > 0)
    throw new Rejection(
      'gate',
      422,
      `the privacy gate found ${findings.length} secret or personal value(s); nothing was stored`,
      findings
        .slice(0, MAX_PROBLEMS)
        .map((f) => ({ pointer: f.pointer, message: `refused by rule ${f.ruleId}` })),
    ).about(doc);
  return {
    doc,
    version: result.version === 'python-1.0' ? 'python-1.0' : 'v1',
    format: decoded.format,
    gzip: decoded.gzip,
    bytesSha256: sha256Hex(body),
  };
}

/**
 * The gate's findings that refuse a document at the hub. The framework's Python exporter names
 * capabilities `hash_<16 hex>` (an unkeyed hash; the migration keeps it so the framework's own
 * exports merge across projects). The gate rightly refuses such hashes in this plugin's output, but
 * the hub must take the framework's exports as they are: there, and only there, they pass.
 * A project-specific name behind such a hash is one project's cell, withheld by the k-threshold.
 */
export function gateFindings(report: GateReport, version: DocumentVersion): GateFinding[] {
  if (version !== 'python-1.0') return [...report.findings];
  return report.findings.filter(
    (f) => !(f.ruleId === 'pseudonym/unkeyed-hash' && /^\/capabilities\/items\/\d+\/name$/.test(f.pointer)),
  );
}

function clientProblem(p: Problem): Problem {
  return { pointer: p.pointer.slice(0, 512), message: withoutReceived(p.message) };
}

function looksVersioned(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  if (Object.hasOwn(o, 'schemaVersion')) return true;
  const meta = Object.hasOwn(o, 'export_metadata') ? o.export_metadata : undefined;
  return !!meta && typeof meta === 'object' && Object.hasOwn(meta, 'schema_version');
}

function describeVersion(value: unknown): string {
  const o = value as Record<string, unknown>;
  const raw = Object.hasOwn(o, 'schemaVersion')
    ? o.schemaVersion
    : (o.export_metadata as Record<string, unknown>).schema_version;
  const text =
    typeof raw === 'string' && /^[0-9A-Za-z.+-]{1,16}$/.test(raw)
      ? `"${raw}"`
      : `of type ${raw === null ? 'null' : typeof raw}`;
  return text;
}
