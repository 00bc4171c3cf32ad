import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase, queryRows, sql } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { withDatabase } from '../support/globalSetup.js';

const target = inject('folioDb');

describe('migrations', () => {
  // Replicas starting together only exist on a Postgres server; PGlite is one process's own database.
  it.skipIf(target.kind !== 'postgres')(
    'are applied once when several replicas start at the same time',
    async () => {
      if (target.kind !== 'postgres') return;
      const name = `folio_t_${target.run}_migrate_${process.pid}`;
      const admin = postgres(target.adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      const replicas = await Promise.all(
        Array.from({ length: 4 }, () =>
          openDatabase({ kind: 'postgres', url: withDatabase(target.adminUrl, name) }),
        ),
      );
      try {
        await Promise.all(replicas.map((r) => migrate(r)));
        const [first] = replicas;
        if (!first) throw new Error('no replica');
        const applied = await queryRows<{ n: number }>(
          first.db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        );
        const files = await queryRows<{ n: number }>(
          first.db,
          sql`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'tickets'`,
        );
        expect(applied[0]?.n).toBeGreaterThan(0);
        expect(files[0]?.n).toBe(1);
        // A later start finds nothing left to do.
        await migrate(first);
        const again = await queryRows<{ n: number }>(
          first.db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        );
        expect(again[0]?.n).toBe(applied[0]?.n);
      } finally {
        await Promise.all(replicas.map((r) => r.close()));
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
  );

  it('bring a new embedded database to the current schema', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    try {
      await migrate(database);
      await migrate(database);
      const tables = await queryRows<{ table_name: string }>(
        database.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'attachments',
        'categories',
        'comments',
        'desk_members',
        'desks',
        'file_uploads',
        'folio_counters',
        'home_views',
        'job_runs',
        'links',
        'mail_messages',
        'message_drafts',
        'outbox',
        'sla_timers',
        'slack_events',
        'ticket_events',
        'tickets',
      ]);
    } finally {
      await database.close();
    }
  });
});
