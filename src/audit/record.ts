import type { Queryable } from '../db/client.js';
import { ticketEvents } from '../db/schema/index.js';

/**
 * Appends to the audit log. `actorId` null means Folio itself (a job, the configuration file).
 * Types are dotted verbs: `ticket.created`, `ticket.status_changed`, `desk.updated`, …
 */
export interface AuditEntry {
  ticketId?: number | null;
  deskKey?: string | null;
  actorId: string | null;
  /** The ticket's version after the change. */
  ticketVersion?: number | null;
  type: string;
  data?: Record<string, unknown>;
  at?: Date;
}

export async function recordEvent(db: Queryable, entry: AuditEntry): Promise<void> {
  await recordEvents(db, [entry]);
}

export async function recordEvents(db: Queryable, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(ticketEvents).values(
    entries.map((entry) => ({
      ticketId: entry.ticketId ?? null,
      deskKey: entry.deskKey ?? null,
      actorId: entry.actorId,
      ticketVersion: entry.ticketVersion ?? null,
      type: entry.type,
      data: entry.data ?? {},
      ...(entry.at ? { createdAt: entry.at } : {}),
    })),
  );
}
