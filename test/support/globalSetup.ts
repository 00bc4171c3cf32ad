import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

/**
 * Prepares one migrated template database per test run, so that each test file gets a fresh copy in
 * a fraction of a second instead of running initdb and the migrations again:
 * - with DATABASE_URL, a Postgres database `folio_tpl_<run>` that files clone with CREATE DATABASE … TEMPLATE;
 * - without, a PGlite data directory dump that files load into an in-memory PGlite.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    folioDb:
      | { kind: 'postgres'; adminUrl: string; template: string; run: string }
      | { kind: 'pglite'; dump: string };
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const run = randomBytes(4).toString('hex');
    const template = `folio_tpl_${run}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await admin`select 1`;
    } catch (error) {
      throw new Error(
        `DATABASE_URL is set but Postgres cannot be reached at ${redactUrl(url)}: ${(error as Error).message}`,
      );
    }
    await admin.unsafe(`create database ${template}`);
    const templateUrl = withDatabase(url, template);
    const database = await openDatabase({ kind: 'postgres', url: templateUrl, maxConnections: 1 });
    await migrate(database);
    await database.close();
    project.provide('folioDb', { kind: 'postgres', adminUrl: url, template, run });
    return async () => {
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`folio_t_${run}_%`} or datname = ${template}`;
      for (const { datname } of leftovers)
        await admin.unsafe(`drop database if exists ${datname} with (force)`);
      await admin.end();
    };
  }

  const dir = await mkdtemp(join(tmpdir(), 'folio-test-'));
  const client = await PGlite.create();
  await migrate(await openDatabase({ kind: 'pglite', client }));
  const dump = join(dir, 'template.tar');
  await writeFile(dump, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
  await client.close();
  project.provide('folioDb', { kind: 'pglite', dump });
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
