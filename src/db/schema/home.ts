import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.js';

/**
 * People who have opened their App Home tab, and what they chose there (bigger lists, the desk shown
 * first). Only their tabs are refreshed when something changes: publishing a tab nobody has opened
 * would spend Web API calls for nothing.
 */
export const homeViews = pgTable('home_views', {
  userId: text('user_id').primaryKey(),
  /** The Home's state (src/home/state.ts), validated when read. */
  state: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  openedAt: tstz('opened_at').notNull(),
});
