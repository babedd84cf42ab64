import * as v from 'valibot';
import { type ExportV1, ExportV1 as ExportV1Schema } from '../../schema/export-v1.ts';
import { type DocumentVersion, detectVersion, migratePythonExport } from '../../schema/migrate.ts';
import { PythonExport } from '../../schema/python-export-1.0.ts';
import { computeExportId } from './canonical.ts';

export interface Problem {
  /** RFC 6901 JSON pointer into the document as given. */
  pointer: string;
  message: string;
}

export interface Validation {
  ok: boolean;
  version: DocumentVersion;
  problems: Problem[];
  /** The document as v1 (migrated when it was older), when valid. */
  document?: ExportV1;
}

/** Validates a decoded document of any supported version; every problem comes with its pointer. */
export function validateDocument(value: unknown): Validation {
  const version = detectVersion(value);
  if (version === 'v1') {
    const minor = (value as { schemaVersion: string }).schemaVersion;
    // A newer 1.x adds fields we do not know: keep reading what we know (SchemaVer: additions are minor).
    const r = v.safeParse(
      ExportV1Schema,
      minor === '1.0' ? value : { ...(value as object), schemaVersion: '1.0' },
    );
    if (!r.success) return { ok: false, version, problems: toProblems(r.issues) };
    // The id must be the hash of the content: a doctored document cannot pose as another.
    if (minor === '1.0' && computeExportId(r.output) !== r.output.metadata.exportId)
      return {
        ok: false,
        version,
        problems: [{ pointer: '/metadata/exportId', message: 'does not match the SHA-256 of the content' }],
      };
    return { ok: true, version, problems: [], document: r.output };
  }
  if (version === 'python-1.0') {
    const r = v.safeParse(PythonExport, value);
    if (!r.success) return { ok: false, version, problems: toProblems(r.issues) };
    return { ok: true, version, problems: [], document: migratePythonExport(r.output) };
  }
  return {
    ok: false,
    version,
    problems: [
      {
        pointer: '',
        message: 'not a learning export: no "schemaVersion" 1.x and no Python "export_metadata" 1.0',
      },
    ],
  };
}

export function toProblems(issues: readonly v.BaseIssue<unknown>[]): Problem[] {
  return issues.map((issue) => ({
    pointer: (issue.path ?? [])
      .map((p) => `/${String(p.key).replace(/~/g, '~0').replace(/\//g, '~1')}`)
      .join(''),
    message: issue.kind === 'schema' && issue.expected === 'never' ? 'unknown field' : issue.message,
  }));
}
