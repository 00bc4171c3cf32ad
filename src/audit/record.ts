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

export async function recordEvent(q: Queryable, entry: AuditEntry): Promise<void> {
  await recordEvents(q, [entry]);
}

export async function recordEvents(q: Queryable, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await q.insert(ticketEvents).values(
    entries.map((e) => ({
      ticketId: e.ticketId ?? null,
      deskKey: e.deskKey ?? null,
      actorId: e.actorId,
      ticketVersion: e.ticketVersion ?? null,
      type: e.type,
      data: e.data ?? {},
      ...(e.at ? { createdAt: e.at } : {}),
    })),
  );
}
