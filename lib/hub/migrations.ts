import type { Db } from './db.ts';

/**
 * The hub's schema, as ordered migrations. The same SQL runs on PGlite and on PostgreSQL, so it
 * keeps to what PostgreSQL 15 has. A migration is never edited once released: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'submissions, projects, rejections',
    sql: `
CREATE TABLE hub_projects (
  project_id text PRIMARY KEY,
  -- SHA-256 of the deletion token handed out at the first submission; the token itself is never stored.
  deletion_token_hash text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE hub_submissions (
  seq bigserial PRIMARY KEY,
  export_id text NOT NULL UNIQUE CHECK (export_id ~ '^[0-9a-f]{64}$'),
  project_id text NOT NULL REFERENCES hub_projects (project_id) ON DELETE CASCADE,
  framework_version text NOT NULL,
  schema_version text NOT NULL,
  created_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  -- UTC day number (days since 1970-01-01) of received_at: the unit of ?since= and ?until=.
  received_day integer NOT NULL,
  format text NOT NULL CHECK (format IN ('json', 'msgpack')),
  gzip boolean NOT NULL,
  bytes integer NOT NULL,
  bytes_sha256 text NOT NULL,
  tasks bigint NOT NULL,
  workflow_runs bigint NOT NULL,
  consultations bigint NOT NULL,
  -- start: counted whole; delta: counted as the change since the project's previous snapshot;
  -- stale: older than a snapshot already counted, so it adds nothing.
  counted text NOT NULL CHECK (counted IN ('start', 'delta', 'stale')),
  -- gzip of the JSON of the document as validated (migrated to v1 when it was older).
  document bytea NOT NULL,
  -- gzip of the MessagePack of the signed rollup a 'delta' submission adds to the aggregate;
  -- NULL for 'start' (the whole document counts) and 'stale' (nothing counts).
  contribution bytea
) WITH (toast_tuple_target = 8160);
-- Both are compressed by the hub already: spare the database a second compression attempt, and
-- keep rows up to a page inline (toast_tuple_target above) instead of in the TOAST table.
ALTER TABLE hub_submissions ALTER COLUMN document SET STORAGE EXTERNAL;
ALTER TABLE hub_submissions ALTER COLUMN contribution SET STORAGE EXTERNAL;
CREATE INDEX hub_submissions_project ON hub_submissions (project_id, seq);

CREATE TABLE hub_rejections (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  type text NOT NULL,
  status integer NOT NULL,
  message text NOT NULL,
  -- [{pointer, message}], sanitized: no submitted values, only pointers made of safe segments.
  problems jsonb NOT NULL,
  export_id text,
  project_id text,
  bytes integer NOT NULL,
  format text
);
CREATE INDEX hub_rejections_at ON hub_rejections (at);
CREATE INDEX hub_rejections_project ON hub_rejections (project_id);
`,
  },
  {
    version: 2,
    name: 'aggregate checkpoint',
    sql: `
-- The in-memory aggregate as of a point in the submissions (lib/hub/checkpoint.ts), so a start
-- reads it and the submissions after it instead of every submission. Derived data: deleting
-- these rows only makes the next start rebuild from hub_submissions.
CREATE TABLE hub_aggregate_checkpoint (
  id integer PRIMARY KEY CHECK (id = 1),
  -- The layout of the stored states; another one is rebuilt instead of read.
  format integer NOT NULL,
  k integer NOT NULL,
  -- Holds exactly the submissions with seq <= through_seq, as many as the next column says.
  through_seq bigint NOT NULL,
  submissions bigint NOT NULL,
  -- hub_aggregate_projects rows 0 .. projects - 1 belong to it.
  projects integer NOT NULL,
  written_at timestamptz NOT NULL
);
-- Per framework version and receive day: gzip of the JSON of its sum, cells and projects.
CREATE TABLE hub_aggregate_days (
  framework_version text NOT NULL,
  day integer NOT NULL,
  state bytea NOT NULL,
  PRIMARY KEY (framework_version, day)
);
ALTER TABLE hub_aggregate_days ALTER COLUMN state SET STORAGE EXTERNAL;
-- The aggregate numbers projects in order of appearance; cells hold these numbers.
CREATE TABLE hub_aggregate_projects (
  project_no integer PRIMARY KEY,
  project_id text NOT NULL
);
`,
  },
];

/** Latest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((n, m) => Math.max(n, m.version), 0);

/** Arbitrary constant for pg_advisory_xact_lock: two hubs starting at once migrate one after the other. */
const MIGRATION_LOCK = 7_341_902;

export class SchemaTooNewError extends Error {
  constructor(readonly found: number) {
    super(
      `the hub database has schema version ${found}, newer than this program's ${SCHEMA_VERSION}; ` +
        'upgrade @tapps-agents/learning, or point --db at another database',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Applies every migration not yet applied, each in its own transaction; returns the versions applied. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS hub_schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`);
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const { rows } = await tx.query<{ version: number }>('SELECT version FROM hub_schema_migrations');
      const versions = rows.map((r) => Number(r.version));
      const newest = Math.max(0, ...versions);
      const latest = Math.max(...migrations.map((x) => x.version));
      if (newest > latest) throw new SchemaTooNewError(newest);
      if (versions.includes(m.version)) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO hub_schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
