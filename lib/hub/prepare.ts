import { gzipSync } from 'node:zlib';
import type { Rollup } from '../../schema/rollup.ts';
import { exportToRollup } from '../export/to-rollup.ts';
import type { Admitted } from './admit.ts';

/**
 * An admitted submission in the form storage takes: the few fields it files it under, the document
 * compressed for its column, and the document as a rollup for the aggregate. Plain data only, so a
 * worker thread can make it and hand it over.
 */
export interface Prepared {
  exportId: string;
  projectId: string;
  frameworkVersion: string;
  createdAt: string;
  totals: { tasks: number; workflowRuns: number; consultations: number };
  version: Admitted['version'];
  format: Admitted['format'];
  gzip: boolean;
  bytesSha256: string;
  /** gzip of the JSON of the validated (migrated) v1 document. */
  document: Uint8Array;
  rollup: Rollup;
}

export function prepare(a: Admitted): Prepared {
  const m = a.doc.metadata;
  return {
    exportId: m.exportId,
    projectId: m.projectId,
    frameworkVersion: m.framework.version,
    createdAt: m.createdAt,
    totals: a.doc.totals,
    version: a.version,
    format: a.format,
    gzip: a.gzip,
    bytesSha256: a.bytesSha256,
    // Encoded again, never the body as received: its bytes may hold what the document does not
    // (a gzip header's file name, a duplicate JSON key, trailing data), none of it gated.
    document: gzipSync(JSON.stringify(a.doc), { level: 1 }),
    rollup: exportToRollup(a.doc),
  };
}
