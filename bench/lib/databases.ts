import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

/**
 * The bench's own Postgres databases, all named `folio_bench_<run>_<purpose>`: one migrated template
 * per run (the app's own migrations, src/db/migrate.ts), cloned for each benchmark with
 * `CREATE DATABASE … TEMPLATE`, and every one of them dropped at the end.
 */

export const DEFAULT_ADMIN_URL = 'postgres://root@127.0.0.1:5432/postgres';
const PREFIX = 'folio_bench_';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export class BenchDatabases {
  readonly run = randomBytes(3).toString('hex');
  readonly #admin: postgres.Sql;
  #template: string | undefined;

  constructor(readonly adminUrl: string) {
    this.#admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  }

  /** Bench databases left by an earlier run that did not finish (killed): dropped, and named. */
  async dropLeftovers(): Promise<string[]> {
    const rows = await this.#admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`${PREFIX}%`}`;
    for (const { datname } of rows)
      await this.#admin.unsafe(`drop database if exists ${datname} with (force)`);
    return rows.map((r) => r.datname);
  }

  /** A fresh database migrated by the app's migrations; returns its URL. */
  async create(purpose: string): Promise<string> {
    const template = await this.#ensureTemplate();
    const name = `${PREFIX}${this.run}_${purpose}`;
    await this.#admin.unsafe(`drop database if exists ${name} with (force)`);
    await this.#admin.unsafe(`create database ${name} template ${template}`);
    return withDatabase(this.adminUrl, name);
  }

  async drop(url: string): Promise<void> {
    const name = new URL(url).pathname.slice(1);
    if (!name.startsWith(PREFIX)) throw new Error(`refusing to drop ${name}: not a bench database`);
    await this.#admin.unsafe(`drop database if exists ${name} with (force)`);
  }

  /** Drops every database of this run, the template last. */
  async dropAll(): Promise<void> {
    const rows = await this.#admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`${PREFIX}${this.run}_%`}
      order by datname = ${this.#template ?? ''}`;
    for (const { datname } of rows)
      await this.#admin.unsafe(`drop database if exists ${datname} with (force)`);
  }

  async close(): Promise<void> {
    await this.#admin.end({ timeout: 5 });
  }

  /** Settings that matter to the figures, for the results file. */
  async serverFacts(): Promise<Record<string, string>> {
    const facts: Record<string, string> = {};
    const [v] = await this.#admin<{ version: string }[]>`select version()`;
    facts.version = v?.version ?? '';
    for (const name of ['shared_buffers', 'synchronous_commit', 'fsync', 'max_connections', 'work_mem']) {
      const [row] = await this.#admin.unsafe<{ setting: string }[]>(
        `select current_setting('${name}') as setting`,
      );
      facts[name] = row?.setting ?? '';
    }
    return facts;
  }

  async #ensureTemplate(): Promise<string> {
    if (this.#template) return this.#template;
    const name = `${PREFIX}${this.run}_tpl`;
    await this.#admin.unsafe(`create database ${name}`);
    const database = await openDatabase({
      kind: 'postgres',
      url: withDatabase(this.adminUrl, name),
      maxConnections: 1,
    });
    try {
      await migrate(database);
    } finally {
      await database.close();
    }
    this.#template = name;
    return name;
  }
}
