import { timingSafeEqual } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decode, encode } from '@msgpack/msgpack';
import type { ExportV1 } from '../../schema/export-v1.ts';
import type { Rollup } from '../../schema/rollup.ts';
import { sha256Hex } from '../export/canonical.ts';
import { exportToRollup } from '../export/to-rollup.ts';
import { dayOfDate } from '../privacy/day.ts';
import { emptyRollup } from '../rollup/empty.ts';
import { type Contribution, type Counted, contributionOf, type Snapshot } from './contribution.ts';
import type { Db } from './db.ts';
import type { LedgerEntry } from './ledger.ts';
import type { Prepared } from './prepare.ts';
import type { Problem, RejectionType } from './rejection.ts';

/** What the hub answers for a stored submission; a duplicate gets the very same receipt. */
export interface Receipt {
  exportId: string;
  projectId: string;
  /** Arrival order in this hub. */
  submissionId: string;
  receivedAt: string;
  frameworkVersion: string;
  format: 'json' | 'msgpack';
  gzip: boolean;
  bytes: number;
  /** SHA-256 of the request body exactly as received. */
  bytesSha256: string;
  counted: Counted;
}

export interface Stored {
  receipt: Receipt;
  duplicate: boolean;
  /** Set when this submission created the project: the caller hands the token out, once. */
  newProject: boolean;
  contribution: Contribution | null;
  day: number;
}

/** A stored submission as the ledger adds it. */
export interface ContributionRow extends LedgerEntry {
  seq: number;
}

export interface RejectionRecord {
  at: Date;
  type: RejectionType;
  status: number;
  message: string;
  problems: Problem[];
  exportId: string | null;
  projectId: string | null;
  bytes: number;
  format: string | null;
}

export interface StoredRejection extends Omit<RejectionRecord, 'at'> {
  id: string;
  at: string;
}

/** The project a submission is filed under: its projectId, except as said below. */
export function projectKey(doc: { metadata: { projectId: string; exportId: string } }): string {
  return projectKeyOf(doc.metadata.projectId, doc.metadata.exportId);
}

export function projectKeyOf(projectId: string, exportId: string): string {
  // Python exports without a project hash all migrate to legacy_000…; they are not one project.
  return projectId === `legacy_${'0'.repeat(16)}` ? `legacy_${exportId.slice(0, 16)}` : projectId;
}

const SUBMISSION_COLUMNS =
  'export_id, project_id, framework_version, schema_version, created_at, received_at, received_day, format, gzip, bytes, ' +
  'bytes_sha256, tasks, workflow_runs, consultations, counted, document, contribution';

const RECEIPT_COLUMNS =
  'seq, export_id, project_id, received_at, framework_version, format, gzip, bytes, bytes_sha256, counted';

const MAX_REJECTIONS = 10_000;

/**
 * The hub's storage, over the one Db interface: the same SQL on PGlite and PostgreSQL. A
 * submission is acknowledged only after its transaction committed, so a 2xx survives a crash.
 */
export class HubStore {
  #rejectionsSincePrune = 0;

  constructor(readonly db: Db) {}

  async receipt(exportId: string): Promise<Receipt | null> {
    const { rows } = await this.db.query(
      `SELECT ${RECEIPT_COLUMNS} FROM hub_submissions WHERE export_id = $1`,
      [exportId],
    );
    return rows[0] ? toReceipt(rows[0]) : null;
  }

  /**
   * Stores an admitted document once; a known exportId returns the original receipt. A project
   * the hub has not seen takes one statement (project and submission together, atomic). Otherwise
   * the project's row is locked first, so two submissions of one project chain one after the other.
   */
  async store(
    p: Prepared,
    o: { bytes: number; receivedAt: Date; deletionTokenHash: string; likelyNew?: boolean },
  ): Promise<Stored> {
    const project = projectKeyOf(p.projectId, p.exportId);
    const receivedAt = o.receivedAt.toISOString();
    const day = dayOfDate(o.receivedAt);
    // Bytes travel as binary parameters (`$16::bytea`): pg sends a Buffer as it is, and so does
    // PgliteStatements (PGlite's own query() would spell it out in hex, in JavaScript).
    const values = (counted: Counted, contribution: Uint8Array | null) => [
      p.exportId,
      project,
      p.frameworkVersion,
      p.version,
      p.createdAt,
      receivedAt,
      day,
      p.format,
      p.gzip,
      o.bytes,
      p.bytesSha256,
      p.totals.tasks,
      p.totals.workflowRuns,
      p.totals.consultations,
      counted,
      p.document,
      contribution,
    ];
    if (o.likelyNew !== false) {
      const { rows } = await this.db.query(
        `WITH p AS (
           INSERT INTO hub_projects (project_id, deletion_token_hash, created_at) VALUES ($2, $18, $6)
           ON CONFLICT (project_id) DO NOTHING RETURNING project_id),
         s AS (
           INSERT INTO hub_submissions (${SUBMISSION_COLUMNS})
           SELECT $1, p.project_id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::bytea, $17::bytea FROM p
           ON CONFLICT (export_id) DO NOTHING
           RETURNING ${RECEIPT_COLUMNS})
         SELECT * FROM s`,
        [...values('start', null), o.deletionTokenHash],
      );
      if (rows[0])
        return {
          receipt: toReceipt(rows[0]),
          duplicate: false,
          newProject: true,
          contribution: { counted: 'start', rollup: p.rollup },
          day,
        };
    }
    return this.db.transaction(async (tx) => {
      // Creates the project (it may have been deleted meanwhile) or locks its row.
      const first = await tx.query<{ created: number }>(
        `WITH ins AS (
           INSERT INTO hub_projects (project_id, deletion_token_hash, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (project_id) DO NOTHING RETURNING 1),
         lck AS (SELECT 1 FROM hub_projects WHERE project_id = $1 FOR UPDATE)
         SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM lck)::int AS locked`,
        [project, o.deletionTokenHash, receivedAt],
      );
      const newProject = Number(first.rows[0]?.created ?? 0) > 0;
      let previous: Snapshot | null = null;
      if (!newProject) {
        // A new statement, so it sees what a transaction we waited for has just committed.
        const { rows } = await tx.query<Row & { head: string | null }>(
          `SELECT ${RECEIPT_COLUMNS.split(', ')
            .map((c) => `s.${c}`)
            .join(', ')},
             (SELECT encode(h.document, 'base64') FROM hub_submissions h WHERE h.project_id = $1 AND h.counted <> 'stale' ORDER BY h.seq DESC LIMIT 1) AS head
           FROM (SELECT 1) AS one LEFT JOIN hub_submissions s ON s.export_id = $2`,
          [project, p.exportId],
        );
        const row = rows[0];
        if (row?.export_id)
          return { receipt: toReceipt(row), duplicate: true, newProject: false, contribution: null, day };
        previous = row?.head ? snapshotOf(row.head) : null;
      }
      const contribution = contributionOf({ createdAt: p.createdAt, rollup: p.rollup }, previous);
      const packed =
        contribution.counted === 'delta' ? gzipSync(encode(contribution.rollup), { level: 1 }) : null;
      const inserted = await tx.query(
        `INSERT INTO hub_submissions (${SUBMISSION_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::bytea, $17::bytea)
         ON CONFLICT (export_id) DO NOTHING
         RETURNING ${RECEIPT_COLUMNS}`,
        values(contribution.counted, packed),
      );
      if (!inserted.rows[0]) {
        const again = await tx.query(`SELECT ${RECEIPT_COLUMNS} FROM hub_submissions WHERE export_id = $1`, [
          p.exportId,
        ]);
        return {
          receipt: toReceipt(again.rows[0] as Row),
          duplicate: true,
          newProject: false,
          contribution: null,
          day,
        };
      }
      return { receipt: toReceipt(inserted.rows[0]), duplicate: false, newProject, contribution, day };
    });
  }

  /**
   * Deletes a project's submissions and rejection records when `tokenHash` matches the one stored
   * at its first submission, and returns the submissions as the ledger added them (to take them
   * out of it). Null when there is no such project or the token is wrong (the caller answers both
   * the same way, so project ids cannot be probed).
   */
  async deleteProject(
    projectId: string,
    tokenHash: string,
  ): Promise<{ submissions: number; rows: ContributionRow[] } | null> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ deletion_token_hash: string }>(
        'SELECT deletion_token_hash FROM hub_projects WHERE project_id = $1 FOR UPDATE',
        [projectId],
      );
      const stored = rows[0]?.deletion_token_hash;
      if (!stored || !sameHex(stored, tokenHash)) return null;
      const removed = await tx.query<StoredContribution>(
        `DELETE FROM hub_submissions WHERE project_id = $1 RETURNING ${CONTRIBUTION_COLUMNS}`,
        [projectId],
      );
      await tx.query('DELETE FROM hub_rejections WHERE project_id = $1', [projectId]);
      await tx.query('DELETE FROM hub_projects WHERE project_id = $1', [projectId]);
      // The stored aggregate still counts this project: the next start must not trust it.
      await tx.query('DELETE FROM hub_aggregate_checkpoint');
      return { submissions: removed.rows.length, rows: removed.rows.map(contributionRow) };
    });
  }

  /** Contributions in arrival order, a page at a time (the ledger is rebuilt from these). */
  async contributions(afterSeq: number, limit: number): Promise<ContributionRow[]> {
    const { rows } = await this.db.query<StoredContribution>(
      `SELECT ${CONTRIBUTION_COLUMNS} FROM hub_submissions WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(contributionRow);
  }

  /**
   * PGlite has no autovacuum: without a VACUUM now and then, counting submissions by seq (what a
   * start does to trust its checkpoint) reads every row instead of the index. Each run only
   * visits the pages written since the last one. PostgreSQL's autovacuum does this by itself.
   */
  async tidy(): Promise<void> {
    if (this.db.kind === 'pglite') await this.db.exec('VACUUM (ANALYZE) hub_submissions');
  }

  async counts(): Promise<{ submissions: number; projects: number }> {
    const { rows } = await this.db.query<{ s: unknown; p: unknown }>(
      'SELECT (SELECT count(*) FROM hub_submissions) AS s, (SELECT count(*) FROM hub_projects) AS p',
    );
    return { submissions: Number(rows[0]?.s ?? 0), projects: Number(rows[0]?.p ?? 0) };
  }

  /** The stored document of a submission, as it was validated (migrated to v1), in JSON. */
  async document(exportId: string): Promise<ExportV1 | null> {
    const { rows } = await this.db.query<{ document: string }>(
      `SELECT encode(document, 'base64') AS document FROM hub_submissions WHERE export_id = $1`,
      [exportId],
    );
    return rows[0]
      ? (JSON.parse(gunzipSync(Buffer.from(rows[0].document, 'base64')).toString('utf8')) as ExportV1)
      : null;
  }

  /** Keeps the newest MAX_REJECTIONS records: a flood of bad requests cannot fill the disk. */
  async recordRejection(r: RejectionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO hub_rejections (at, type, status, message, problems, export_id, project_id, bytes, format)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        r.at.toISOString(),
        r.type,
        r.status,
        r.message,
        JSON.stringify(r.problems),
        r.exportId,
        r.projectId,
        r.bytes,
        r.format,
      ],
    );
    if (++this.#rejectionsSincePrune >= 100) {
      this.#rejectionsSincePrune = 0;
      await this.db.query(
        'DELETE FROM hub_rejections WHERE id <= (SELECT max(id) FROM hub_rejections) - $1',
        [MAX_REJECTIONS],
      );
    }
  }

  async rejections(o: { limit: number; type?: RejectionType }): Promise<StoredRejection[]> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT id, at, type, status, message, problems, export_id, project_id, bytes, format FROM hub_rejections
       WHERE ($1::text IS NULL OR type = $1) ORDER BY id DESC LIMIT $2`,
      [o.type ?? null, o.limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      at: new Date(r.at as string).toISOString(),
      type: r.type as RejectionType,
      status: Number(r.status),
      message: String(r.message),
      problems: (typeof r.problems === 'string' ? JSON.parse(r.problems) : r.problems) as Problem[],
      exportId: (r.export_id as string | null) ?? null,
      projectId: (r.project_id as string | null) ?? null,
      bytes: Number(r.bytes),
      format: (r.format as string | null) ?? null,
    }));
  }

  async rejectionCounts(): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ type: string; n: unknown }>(
      'SELECT type, count(*) AS n FROM hub_rejections GROUP BY type ORDER BY type',
    );
    const out: Record<string, number> = {};
    for (const r of rows) out[r.type] = Number(r.n);
    return out;
  }
}

type Row = Record<string, unknown>;

const CONTRIBUTION_COLUMNS = `seq, project_id, framework_version, received_day, counted,
  encode(contribution, 'base64') AS contribution,
  CASE WHEN counted = 'start' THEN encode(document, 'base64') END AS document`;

interface StoredContribution {
  seq: unknown;
  project_id: string;
  framework_version: string;
  received_day: unknown;
  counted: Counted;
  contribution: string | null;
  document: string | null;
}

/** What a stored submission adds: the whole document (start), its delta, or nothing (stale). */
function contributionRow(r: StoredContribution): ContributionRow {
  return {
    seq: Number(r.seq),
    project: r.project_id,
    frameworkVersion: r.framework_version,
    day: Number(r.received_day),
    contribution:
      r.counted === 'start' && r.document
        ? snapshotOf(r.document).rollup
        : r.counted === 'delta' && r.contribution
          ? (decode(gunzipSync(Buffer.from(r.contribution, 'base64'))) as Rollup)
          : emptyRollup(),
  };
}

/** A stored document (base64 of its gzip) back as the snapshot it was. */
function snapshotOf(base64: string): Snapshot {
  const doc = JSON.parse(gunzipSync(Buffer.from(base64, 'base64')).toString('utf8')) as ExportV1;
  return { createdAt: doc.metadata.createdAt, rollup: exportToRollup(doc) };
}

function toReceipt(r: Row): Receipt {
  return {
    exportId: String(r.export_id),
    projectId: String(r.project_id),
    submissionId: String(r.seq),
    receivedAt: new Date(r.received_at as string).toISOString(),
    frameworkVersion: String(r.framework_version),
    format: r.format === 'msgpack' ? 'msgpack' : 'json',
    gzip: r.gzip === true,
    bytes: Number(r.bytes),
    bytesSha256: String(r.bytes_sha256),
    counted: r.counted as Counted,
  };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export { sha256Hex };
