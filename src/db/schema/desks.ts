import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  BusinessHours,
  DeskSettings,
  ReminderThreshold,
  SlaTarget,
  TemplateName,
} from '../../desks/model.js';
import { ASSIGNMENT_STRATEGIES } from '../../domain/assignment.js';
import type { Priority } from '../../domain/priority.js';
import { createdAt, sqlList, tstz, updatedAt } from './columns.js';

/** Where a desk or category was defined: the configuration file, or an admin inside Slack. */
export const ORIGINS = ['file', 'slack'] as const;

export const desks = pgTable(
  'desks',
  {
    key: text().primaryKey(),
    name: text().notNull(),
    channelId: text('channel_id'),
    escalationChannelId: text('escalation_channel_id'),
    /** The desk's mail address, lower case: mail to it makes the desk's tickets, and its mail goes from it. */
    mailbox: text(),
    isPrivate: boolean('is_private').notNull().default(false),
    assignment: text({ enum: ASSIGNMENT_STRATEGIES }).notNull().default('round_robin'),
    autoCloseAfterDays: integer('auto_close_after_days').notNull().default(3),
    folioPrefix: text('folio_prefix').notNull(),
    timezone: text().notNull(),
    businessHours: jsonb('business_hours').$type<BusinessHours>().notNull(),
    holidays: jsonb().$type<string[]>().notNull().default([]),
    sla: jsonb().$type<Record<Priority, SlaTarget>>().notNull(),
    reminders: jsonb().$type<ReminderThreshold[]>().notNull(),
    templates: jsonb().$type<Partial<Record<TemplateName, string>>>().notNull().default({}),
    /** Round robin's cursor: who got this desk's previous automatic assignment. */
    lastAssigneeId: text('last_assignee_id'),
    origin: text({ enum: ORIGINS }).notNull(),
    /** The desk as the configuration file last defined it: the base of the file/Slack merge. */
    fileSnapshot: jsonb('file_snapshot').$type<DeskSettings>(),
    archivedAt: tstz('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    updatedBy: text('updated_by'),
  },
  (table) => [
    uniqueIndex('desks_mailbox').on(table.mailbox).where(sql`${table.mailbox} is not null`),
    check('desks_assignment', sql.raw(`assignment in (${sqlList(ASSIGNMENT_STRATEGIES)})`)),
    check('desks_origin', sql.raw(`origin in (${sqlList(ORIGINS)})`)),
  ],
);

export const deskMembers = pgTable(
  'desk_members',
  {
    deskKey: text('desk_key')
      .notNull()
      .references(() => desks.key, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    isLead: boolean('is_lead').notNull().default(false),
    /** Order in the desk's list: round robin follows it. */
    position: integer().notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.deskKey, table.userId] }),
    index('desk_members_user').on(table.userId),
  ],
);

export const categories = pgTable(
  'categories',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    deskKey: text('desk_key')
      .notNull()
      .references(() => desks.key),
    ownerId: text('owner_id'),
    position: integer().notNull().default(0),
    origin: text({ enum: ORIGINS }).notNull(),
    fileSnapshot: jsonb('file_snapshot').$type<{ name: string; desk: string; owner: string | null }>(),
    archivedAt: tstz('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('categories_name').on(sql`lower(${table.name})`),
    check('categories_origin', sql.raw(`origin in (${sqlList(ORIGINS)})`)),
  ],
);

export type DeskRow = typeof desks.$inferSelect;
export type DeskMemberRow = typeof deskMembers.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;
