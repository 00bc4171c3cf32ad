import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Database, Schema } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any constant will do; it only has to be the same in every replica. ('folio' in ASCII.) */
const MIGRATION_LOCK = 0x666f6c696f;

/**
 * Applies drizzle-kit's migrations from drizzle/. drizzle's migrator takes no lock, so replicas that
 * start together take a session advisory lock first: the first migrates, the others wait, then find
 * nothing left to do.
 */
export async function migrate(database: Database): Promise<void> {
  await database.withSession(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      const config = { migrationsFolder: MIGRATIONS_FOLDER };
      // Each driver has its own migrator over the same folder; `db` is that driver's database.
      if (database.kind === 'postgres')
        await migratePostgres(db as unknown as PostgresJsDatabase<Schema>, config);
      else await migratePglite(db as unknown as PgliteDatabase<Schema>, config);
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  });
}
