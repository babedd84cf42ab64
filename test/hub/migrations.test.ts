import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Db } from '../../lib/hub/db.ts';
import { openPglite } from '../../lib/hub/db-pglite.ts';
import { MIGRATIONS, migrate, SCHEMA_VERSION, SchemaTooNewError } from '../../lib/hub/migrations.ts';

let db: Db;
before(async () => {
  db = await openPglite('memory://');
});
after(() => db.close());

test('migrations apply once, in order, and again apply nothing', async () => {
  assert.deepEqual(
    await migrate(db),
    MIGRATIONS.map((m) => m.version),
  );
  assert.deepEqual(await migrate(db), []);
  const { rows } = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'hub_%' ORDER BY table_name",
  );
  assert.deepEqual(
    rows.map((r) => r.table_name),
    [
      'hub_aggregate_checkpoint',
      'hub_aggregate_days',
      'hub_aggregate_projects',
      'hub_projects',
      'hub_rejections',
      'hub_schema_migrations',
      'hub_submissions',
    ],
  );
});

test('a database migrated by a newer hub is refused, with what to do', async () => {
  await db.query('INSERT INTO hub_schema_migrations (version, name) VALUES ($1, $2)', [
    SCHEMA_VERSION + 1,
    'from the future',
  ]);
  await assert.rejects(migrate(db), (e: Error) => {
    assert.ok(e instanceof SchemaTooNewError);
    assert.match(
      e.message,
      /newer than this program's .*upgrade @tapps-agents\/learning, or point --db at another database/,
    );
    return true;
  });
});
