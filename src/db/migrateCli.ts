import { parseEnv } from '../config/env.js';
import { openDatabase } from './client.js';
import { migrate } from './migrate.js';

// `npm run db:migrate`: applies migrations without starting the app (the app also does it at start).
const env = parseEnv({ SLACK_BOT_TOKEN: 'xoxb-migrate', SLACK_SIGNING_SECRET: 'migrate', ...process.env });
const database = await openDatabase(
  env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR },
);
try {
  await migrate(database);
  console.log(`Migrations applied (${database.kind}).`);
} finally {
  await database.close();
}
