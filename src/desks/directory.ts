import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Queryable, Tx } from '../db/client.js';
import { type CategoryRow, categories, type DeskRow, deskMembers, desks } from '../db/schema/index.js';
import { type CategorySettings, type DeskSettings, normalizeMailbox } from './model.js';

/** Reads desks and categories as the rest of the app sees them. */

export interface Desk extends DeskSettings {
  archived: boolean;
  lastAssigneeId: string | null;
}

export interface Category extends CategorySettings {
  id: number;
  archived: boolean;
}

/** A desk's settings as the columns of its row (members and leads live in desk_members). */
export const deskValues = (desk: DeskSettings) => ({
  name: desk.name,
  channelId: desk.channel,
  escalationChannelId: desk.escalationChannel,
  mailbox: desk.mailbox,
  isPrivate: desk.private,
  assignment: desk.assignment,
  autoCloseAfterDays: desk.autoCloseAfterDays,
  folioPrefix: desk.folioPrefix,
  timezone: desk.timezone,
  businessHours: desk.businessHours,
  holidays: desk.holidays,
  sla: desk.sla,
  reminders: desk.reminders,
  templates: desk.templates,
});

export async function replaceMembers(tx: Tx, desk: Pick<DeskSettings, 'key' | 'members' | 'leads'>) {
  await tx.delete(deskMembers).where(eq(deskMembers.deskKey, desk.key));
  if (desk.members.length === 0) return;
  await tx.insert(deskMembers).values(
    desk.members.map((userId, position) => ({
      deskKey: desk.key,
      userId,
      isLead: desk.leads.includes(userId),
      position,
    })),
  );
}

/** A desk as the configuration describes it: without its archive flag and round-robin cursor. */
export const settingsOf = (desk: Desk): DeskSettings => {
  const { archived: _archived, lastAssigneeId: _lastAssigneeId, ...settings } = desk;
  return settings;
};

function toDesk(row: DeskRow, members: { userId: string; isLead: boolean }[]): Desk {
  return {
    key: row.key,
    name: row.name,
    channel: row.channelId,
    escalationChannel: row.escalationChannelId,
    mailbox: row.mailbox,
    private: row.isPrivate,
    members: members.map((member) => member.userId),
    leads: members.filter((member) => member.isLead).map((member) => member.userId),
    assignment: row.assignment,
    autoCloseAfterDays: row.autoCloseAfterDays,
    folioPrefix: row.folioPrefix,
    timezone: row.timezone,
    businessHours: row.businessHours,
    holidays: row.holidays,
    sla: row.sla,
    reminders: row.reminders,
    templates: row.templates,
    archived: row.archivedAt !== null,
    lastAssigneeId: row.lastAssigneeId,
  };
}

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    desk: row.deskKey,
    owner: row.ownerId,
    position: row.position,
    archived: row.archivedAt !== null,
  };
}

async function membersOf(db: Queryable, deskKey: string) {
  return db
    .select({ userId: deskMembers.userId, isLead: deskMembers.isLead })
    .from(deskMembers)
    .where(eq(deskMembers.deskKey, deskKey))
    .orderBy(asc(deskMembers.position), asc(deskMembers.userId));
}

/** A desk with its people; `forUpdate` locks its row for the rest of the transaction. */
export async function findDesk(
  db: Queryable,
  key: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Desk | undefined> {
  const base = db.select().from(desks).where(eq(desks.key, key));
  const [row] = opts.forUpdate ? await base.for('update') : await base;
  if (!row) return undefined;
  return toDesk(row, await membersOf(db, key));
}

/**
 * The active desk whose mailbox `address` is (compared as normalizeMailbox writes it), read now: for a
 * transaction that must see the latest edit. DeskDirectory.deskByMailbox is the cached reading.
 */
export async function findDeskByMailbox(db: Queryable, address: string): Promise<Desk | undefined> {
  const [row] = await db
    .select()
    .from(desks)
    .where(and(eq(desks.mailbox, normalizeMailbox(address)), isNull(desks.archivedAt)));
  if (!row) return undefined;
  return toDesk(row, await membersOf(db, row.key));
}

/** Every desk (archived ones only when asked), in name order. */
export async function listDesks(db: Queryable, opts: { includeArchived?: boolean } = {}): Promise<Desk[]> {
  const rows = await db
    .select()
    .from(desks)
    .where(opts.includeArchived ? undefined : isNull(desks.archivedAt))
    .orderBy(asc(desks.name));
  const members = await db
    .select()
    .from(deskMembers)
    .orderBy(asc(deskMembers.position), asc(deskMembers.userId));
  return rows.map((row) =>
    toDesk(
      row,
      members.filter((member) => member.deskKey === row.key),
    ),
  );
}

export async function listCategories(
  db: Queryable,
  opts: { includeArchived?: boolean } = {},
): Promise<Category[]> {
  const rows = await db
    .select()
    .from(categories)
    .where(opts.includeArchived ? undefined : isNull(categories.archivedAt))
    .orderBy(asc(categories.position), asc(categories.name));
  return rows.map(toCategory);
}

export async function findCategory(db: Queryable, id: number): Promise<Category | undefined> {
  const [row] = await db.select().from(categories).where(eq(categories.id, id));
  return row ? toCategory(row) : undefined;
}

/**
 * Desks (with their people) and categories, kept in memory for a few seconds: nearly every request and
 * delivery needs them, and they change only when an admin edits them or the app restarts. An edit made
 * in this process invalidates them at once; one made on another replica shows within the TTL.
 * Reads go through the caller's queryable, so a refresh inside a transaction uses the transaction
 * (PGlite has a single connection).
 */
export const DIRECTORY_TTL_MS = 5000;

interface Snapshot {
  at: number;
  desks: Map<string, Desk>;
  /** Active desks by mailbox. */
  mailboxes: Map<string, Desk>;
  categories: Map<number, Category>;
}

export class DeskDirectory {
  #snapshot: Snapshot | undefined;

  constructor(private readonly ttlMs = DIRECTORY_TTL_MS) {}

  invalidate(): void {
    this.#snapshot = undefined;
  }

  async desk(db: Queryable, key: string): Promise<Desk | undefined> {
    return (await this.#current(db)).desks.get(key);
  }

  async category(db: Queryable, id: number): Promise<Category | undefined> {
    return (await this.#current(db)).categories.get(id);
  }

  /** Active desks in name order (archived ones too when asked). */
  async desks(db: Queryable, opts: { includeArchived?: boolean } = {}): Promise<Desk[]> {
    const all = [...(await this.#current(db)).desks.values()];
    return (opts.includeArchived ? all : all.filter((desk) => !desk.archived)).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  /** The active desk whose mailbox `address` is, in any letter case; undefined for any other address. */
  async deskByMailbox(db: Queryable, address: string): Promise<Desk | undefined> {
    return (await this.#current(db)).mailboxes.get(normalizeMailbox(address));
  }

  /** Whether mail to `address` has a desk to go to (the SMTP server's check of each recipient). */
  async isMailbox(db: Queryable, address: string): Promise<boolean> {
    return (await this.deskByMailbox(db, address)) !== undefined;
  }

  /** The mailboxes of the active desks, sorted. */
  async mailboxes(db: Queryable): Promise<string[]> {
    return [...(await this.#current(db)).mailboxes.keys()].sort();
  }

  /** Active categories in their configured order. */
  async categories(db: Queryable): Promise<Category[]> {
    return [...(await this.#current(db)).categories.values()]
      .filter((category) => !category.archived)
      .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  }

  async #current(db: Queryable): Promise<Snapshot> {
    const now = Date.now();
    if (this.#snapshot && now - this.#snapshot.at < this.ttlMs) return this.#snapshot;
    const [desks, categories] = [
      await listDesks(db, { includeArchived: true }),
      await listCategories(db, { includeArchived: true }),
    ];
    this.#snapshot = {
      at: now,
      desks: new Map(desks.map((desk) => [desk.key, desk])),
      mailboxes: new Map(
        desks.flatMap((desk) => (desk.mailbox && !desk.archived ? [[desk.mailbox, desk] as const] : [])),
      ),
      categories: new Map(categories.map((category) => [category.id, category])),
    };
    return this.#snapshot;
  }
}
