import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import { type Database, openDatabase, queryRows, sql } from '../../src/db/client.js';
import { withDatabase } from './globalSetup.js';

/**
 * A fresh, migrated database for one test file: a clone of the run's template on Postgres
 * (DATABASE_URL), or the template dump loaded into an in-memory PGlite. Never a mock.
 */
export interface TestDatabase extends Database {
  /** Empties every table that tickets fill (desks and categories stay). */
  resetTickets(): Promise<void>;
  /** On Postgres, where other processes can reach this database. */
  url?: string;
}

let counter = 0;

export async function openTestDatabase(): Promise<TestDatabase> {
  const target = inject('folioDb');
  let database: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (target.kind === 'postgres') {
    const name = `folio_t_${target.run}_${process.pid}_${++counter}`;
    const admin = postgres(target.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${target.template}`);
    url = withDatabase(target.adminUrl, name);
    database = await openDatabase({ kind: 'postgres', url, maxConnections: 10 });
    drop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    database = await openDatabase({ kind: 'pglite', loadDataDir: new Blob([await readFile(target.dump)]) });
  }
  return {
    ...database,
    ...(url ? { url } : {}),
    async close() {
      await database.close();
      await drop();
    },
    async resetTickets() {
      await database.db.execute(sql`
        truncate tickets, comments, attachments, links, ticket_events, sla_timers, outbox, slack_events, home_views,
          job_runs, folio_counters, message_drafts, mail_messages, file_uploads restart identity cascade`);
    },
  };
}

export { queryRows, sql };
