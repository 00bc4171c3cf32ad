import { eq } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { desks, folioCounters, tickets } from '../db/schema/index.js';
import { parseFolio } from '../domain/folio.js';
import type { Services } from '../services.js';
import { loadTicketDetails, type TicketDetails } from './details.js';
import { mayAct, type Permission } from './rights.js';
import { canView, noSuchTicket, type Relation, relationTo } from './visibility.js';

/** What reading tickets needs. */
export type Readers = Pick<Services, 'db' | 'directory'>;

export interface VisibleTicket extends TicketDetails {
  /** How the viewer relates to the ticket, which decides the actions offered. */
  relation: Relation;
}

/** The ticket `folio` names, if it exists and `viewer` may see it (a hidden ticket reads as missing). */
export async function findVisibleTicket(
  services: Readers,
  viewer: string,
  folio: string,
): Promise<VisibleTicket | undefined> {
  const parsed = parseFolio(folio);
  if (!parsed) return undefined;
  const [row] = await services.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(eq(tickets.folio, parsed.folio));
  return row ? visibleTicketById(services, viewer, row.id) : undefined;
}

export async function visibleTicketById(
  services: Readers,
  viewer: string,
  id: number,
): Promise<VisibleTicket | undefined> {
  const details = await loadTicketDetails(services.db, services.directory, id);
  if (!details) return undefined;
  const subject = { requesterId: details.ticket.requesterId, desk: details.desk };
  if (!canView(viewer, subject)) return undefined;
  return { ...details, relation: relationTo(viewer, subject) };
}

/**
 * The ticket `viewer` is about to act on as `who` (a channel about to show a form for a change),
 * refused as `changeTicket` would refuse the change itself: a FolioError, `not_found` when the
 * ticket is missing or hidden from them, `forbidden` when they may see it but not do this.
 */
export async function ticketToActOn(
  services: Readers,
  viewer: string,
  id: number,
  who: Permission,
): Promise<VisibleTicket> {
  const details = await loadTicketDetails(services.db, services.directory, id);
  if (!details) throw noSuchTicket();
  const refusal = mayAct(viewer, details.ticket, details.desk, who);
  if (refusal) throw refusal;
  return {
    ...details,
    relation: relationTo(viewer, { requesterId: details.ticket.requesterId, desk: details.desk }),
  };
}

/** The folio prefixes desks use or used, to tell `/ticket TKT042` from a subject. */
export async function folioPrefixes(db: Queryable): Promise<string[]> {
  const [current, used] = await Promise.all([
    db.selectDistinct({ prefix: desks.folioPrefix }).from(desks),
    db.select({ prefix: folioCounters.prefix }).from(folioCounters),
  ]);
  return [...new Set([...current, ...used].map((row) => row.prefix))];
}
