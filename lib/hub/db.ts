/**
 * The one small database interface the hub is written against. PGlite (PostgreSQL in WASM, a
 * folder on disk) and a real PostgreSQL through `pg` both provide it, so every query and migration
 * is the same SQL for both (kept to the PostgreSQL 15 subset).
 */
export interface Queryable {
  /** Parameterized query: `$1`, `$2`… never string-built SQL. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages: a folder, or the URL without its password. */
  readonly location: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Must be awaited: an open PGlite keeps the Node process alive. */
  close(): Promise<void>;
}
