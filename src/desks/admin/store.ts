import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { categories, deskMembers, desks } from '../../db/schema/index.js';
import type { AfterCommit } from '../../db/tx.js';
import { enqueue, type OutboxSignal } from '../../outbox/messages.js';
import { mailboxTaken } from './errors.js';
import type { AdminActor, AdminRights } from './rights.js';

/** Reads and writes shared by the administration use cases. */

/** The actor with the active desks they lead. */
export async function rightsOf(db: Queryable, actor: AdminActor): Promise<AdminRights> {
  const rows = await db
    .select({ deskKey: deskMembers.deskKey })
    .from(deskMembers)
    .innerJoin(desks, eq(desks.key, deskMembers.deskKey))
    .where(and(eq(deskMembers.userId, actor.userId), eq(deskMembers.isLead, true), isNull(desks.archivedAt)));
  return { ...actor, leadOf: new Set(rows.map((row) => row.deskKey)) };
}

/**
 * Refuses (beside the form's mailbox field) an address another desk holds. Archived desks count, as
 * for the unique index, though archiving a desk releases its mailbox.
 */
export async function checkMailboxFree(
  db: Queryable,
  mailbox: string | null,
  deskKey: string,
): Promise<void> {
  if (mailbox === null) return;
  const [holder] = await db
    .select({ name: desks.name })
    .from(desks)
    .where(and(eq(desks.mailbox, mailbox), ne(desks.key, deskKey)));
  if (holder) throw mailboxTaken(mailbox, holder.name);
}

/**
 * A form carries the version of what it edits (its `updated_at`), so that a change made by someone
 * else meanwhile is not silently overwritten.
 */
export async function deskVersion(db: Queryable, key: string): Promise<string | undefined> {
  const [row] = await db.select({ at: desks.updatedAt }).from(desks).where(eq(desks.key, key));
  return row?.at.toISOString();
}

export async function categoryVersion(db: Queryable, id: number): Promise<string | undefined> {
  const [row] = await db.select({ at: categories.updatedAt }).from(categories).where(eq(categories.id, id));
  return row?.at.toISOString();
}

/** Re-publishes the Home tab of each person (deduplicated and delayed by the outbox). */
export async function refreshHomes(
  db: Queryable,
  afterCommit: AfterCommit,
  signal: OutboxSignal,
  people: Iterable<string>,
): Promise<void> {
  await enqueue(
    db,
    afterCommit,
    signal,
    [...new Set(people)].sort().map((userId) => ({ kind: 'home.publish' as const, userId })),
  );
}
