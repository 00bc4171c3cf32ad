import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type ExtractTablesWithRelations, type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';

/**
 * One schema, two drivers: postgres.js against a Postgres server (`DATABASE_URL`), or PGlite, the
 * embedded Postgres, under `DATA_DIR`. Code above this file sees only `Db` and `Tx`.
 */

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction: what a query that may run in both takes. */
export type Queryable = Db | Tx;

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  /** PGlite under `dataDir` (in memory without), optionally starting from a dump, or an instance already open. */
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob; client?: PGlite };

/** The database the environment names: `DATABASE_URL`'s Postgres, else PGlite under `DATA_DIR`. */
export const databaseTargetOf = (env: {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}): DatabaseTarget =>
  env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR };

export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly db: Db;
  /** Runs `fn` on one connection alone (used to hold an advisory lock while migrating). */
  withSession<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const casing = 'snake_case';

// Each driver's database type carries its own result type; code above this file needs only what they
// share (PgDatabase), hence the casts to `Db` below.

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const client = postgres(target.url, { max: target.maxConnections ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema, casing }) as unknown as Db;
    return {
      kind: 'postgres',
      db,
      async withSession(fn) {
        // A client of one connection: every statement of `fn` runs on the same session.
        const single = postgres(target.url, { max: 1, onnotice: () => {} });
        try {
          return await fn(drizzlePostgres(single, { schema, casing }) as unknown as Db);
        } finally {
          await single.end({ timeout: 5 });
        }
      },
      async ping() {
        await client`select 1`;
      },
      async close() {
        await client.end({ timeout: 5 });
      },
    };
  }

  let dataDir: string | undefined;
  if (target.dataDir) {
    dataDir = join(target.dataDir, 'pglite');
    await mkdir(dataDir, { recursive: true });
  }
  const client =
    target.client ??
    (await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    }));
  const db = drizzlePglite(client, { schema, casing }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    // PGlite is a single connection already.
    withSession: (fn) => fn(db),
    async ping() {
      await client.query('select 1');
    },
    async close() {
      await client.close();
    },
  };
}

/** Runs raw SQL and returns its rows, whichever driver answers (postgres.js gives an array, PGlite `{ rows }`). */
export async function queryRows<T extends Record<string, unknown>>(db: Queryable, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export { sql };
