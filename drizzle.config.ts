import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a migration into drizzle/ from the schema; the app applies them at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
