import { timestamp } from 'drizzle-orm/pg-core';

/** Timestamps are stored with time zone and read as Date. */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => tstz('created_at').notNull().defaultNow();
export const updatedAt = () => tstz('updated_at').notNull().defaultNow();

/** SQL list for a CHECK constraint over a closed set of strings. */
export const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');
