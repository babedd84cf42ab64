import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Db } from './db.ts';
import { type DayScope, Ledger } from './ledger.ts';
import { cellCap, Scope, type ScopeState } from './scope.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Bump when what a Scope means changes: older checkpoints are then rebuilt, not read.
 * 2: cells keep up to 2k project numbers (were k).
 */
export const CHECKPOINT_FORMAT = 2;

/** Project ids per statement: bounded parameters however many projects arrive at once. */
const PROJECT_CHUNK = 5000;

/**
 * What a checkpoint writes, taken in one go while no submission is between its commit and its
 * addition to the ledger: then the ledger holds exactly the submissions with seq <= throughSeq.
 * The states are serialized at once, so later additions cannot leak into it.
 */
export interface Snapshot {
  full: boolean;
  throughSeq: number;
  submissions: number;
  /** The checkpoint this one extends (0 and 0 for a full one): only what came after is checked. */
  since: { seq: number; submissions: number };
  days: DayScope[];
  states: string[];
  projectsFrom: number;
  projectIds: string[];
}

export function takeSnapshot(
  ledger: Ledger,
  o: {
    full: boolean;
    throughSeq: number;
    savedProjects: number;
    since: Snapshot['since'];
  },
): Snapshot {
  const days = ledger.days(!o.full);
  const from = o.full ? 0 : o.savedProjects;
  return {
    full: o.full,
    throughSeq: o.throughSeq,
    submissions: ledger.select({}).submissions,
    since: o.full ? { seq: 0, submissions: 0 } : o.since,
    days,
    states: days.map((d) => JSON.stringify(d.scope.state())),
    projectsFrom: from,
    projectIds: ledger.projectIds(from),
  };
}

/**
 * Writes a snapshot in one transaction, and only if it still matches the stored submissions (a
 * deletion, or another hub on the same database, may have changed them since): false then. Only
 * the submissions since the checkpoint it extends are counted, so the cost follows the new rows.
 */
export async function writeCheckpoint(db: Db, k: number, s: Snapshot, now: Date): Promise<boolean> {
  const states = await Promise.all(
    s.states.map(async (json) => (await gzipAsync(json, { level: 1 })).toString('base64')),
  );
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ n: unknown }>(
      'SELECT count(*) AS n FROM hub_submissions WHERE seq > $1 AND seq <= $2',
      [s.since.seq, s.throughSeq],
    );
    if (Number(rows[0]?.n) !== s.submissions - s.since.submissions) return false;
    if (s.full) {
      await tx.query('DELETE FROM hub_aggregate_days');
      await tx.query('DELETE FROM hub_aggregate_projects');
    }
    for (const [i, d] of s.days.entries())
      await tx.query(
        `INSERT INTO hub_aggregate_days (framework_version, day, state) VALUES ($1, $2, decode($3, 'base64'))
         ON CONFLICT (framework_version, day) DO UPDATE SET state = EXCLUDED.state`,
        [d.frameworkVersion, d.day, states[i]],
      );
    for (let at = 0; at < s.projectIds.length; at += PROJECT_CHUNK) {
      const ids = s.projectIds.slice(at, at + PROJECT_CHUNK);
      await tx.query(
        `INSERT INTO hub_aggregate_projects (project_no, project_id) SELECT * FROM unnest($1::int[], $2::text[])
         ON CONFLICT (project_no) DO UPDATE SET project_id = EXCLUDED.project_id`,
        [ids.map((_, j) => s.projectsFrom + at + j), ids],
      );
    }
    await tx.query(
      `INSERT INTO hub_aggregate_checkpoint (id, format, k, through_seq, submissions, projects, written_at)
       VALUES (1, $1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET format = EXCLUDED.format, k = EXCLUDED.k, through_seq = EXCLUDED.through_seq,
         submissions = EXCLUDED.submissions, projects = EXCLUDED.projects, written_at = EXCLUDED.written_at`,
      [
        CHECKPOINT_FORMAT,
        k,
        s.throughSeq,
        s.submissions,
        s.projectsFrom + s.projectIds.length,
        now.toISOString(),
      ],
    );
    return true;
  });
}

export interface Loaded {
  ledger: Ledger;
  throughSeq: number;
  submissions: number;
  projects: number;
}

/**
 * The stored checkpoint as a ledger, or null when there is none or it cannot be trusted: another
 * format or k, or stored submissions up to its point that it does not hold (a deletion since).
 */
export async function readCheckpoint(db: Db, k: number): Promise<Loaded | null> {
  const read = await db.transaction(async (tx) => {
    const { rows } = await tx.query<Record<string, unknown>>(
      'SELECT format, k, through_seq, submissions, projects FROM hub_aggregate_checkpoint WHERE id = 1',
    );
    const meta = rows[0];
    if (!meta || Number(meta.format) !== CHECKPOINT_FORMAT || Number(meta.k) !== k) return null;
    const throughSeq = Number(meta.through_seq);
    const counted = await tx.query<{ n: unknown }>(
      'SELECT count(*) AS n FROM hub_submissions WHERE seq <= $1',
      [throughSeq],
    );
    if (Number(counted.rows[0]?.n) !== Number(meta.submissions)) return null;
    const projects = Number(meta.projects);
    const ids = await tx.query<{ project_id: string }>(
      'SELECT project_id FROM hub_aggregate_projects WHERE project_no < $1 ORDER BY project_no',
      [projects],
    );
    if (ids.rows.length !== projects) return null;
    const days = await tx.query<{ framework_version: string; day: unknown; state: string }>(
      `SELECT framework_version, day, encode(state, 'base64') AS state FROM hub_aggregate_days`,
    );
    return {
      throughSeq,
      submissions: Number(meta.submissions),
      projects,
      ids: ids.rows.map((r) => r.project_id),
      days: days.rows,
    };
  });
  if (!read) return null;
  const cap = cellCap(k);
  const days = await Promise.all(
    read.days.map(async (r) => ({
      frameworkVersion: r.framework_version,
      day: Number(r.day),
      scope: Scope.fromState(
        cap,
        JSON.parse((await gunzipAsync(Buffer.from(r.state, 'base64'))).toString('utf8')) as ScopeState,
      ),
    })),
  );
  return {
    ledger: Ledger.restore(k, read.ids, days),
    throughSeq: read.throughSeq,
    submissions: read.submissions,
    projects: read.projects,
  };
}
