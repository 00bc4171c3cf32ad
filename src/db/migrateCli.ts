import { parseEnv } from '../config/env.js';
import { databaseTargetOf, openDatabase } from './client.js';
import { migrate } from './migrate.js';

// `npm run db:migrate`: applies migrations without starting the app (the app also does it at start).
const env = parseEnv({ SLACK_BOT_TOKEN: 'xoxb-migrate', SLACK_SIGNING_SECRET: 'migrate', ...process.env });
const database = await openDatabase(databaseTargetOf(env));
try {
  await migrate(database);
  console.log(`Migrations applied (${database.kind}).`);
} finally {
  await database.close();
}
