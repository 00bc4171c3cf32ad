import { asc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import {
  type AttachmentRow,
  attachments,
  type LinkRow,
  links,
  slaTimers,
  type TicketRow,
  tickets,
} from '../db/schema/index.js';
import type { Desk, DeskDirectory } from '../desks/directory.js';

/** A ticket with what its card and messages show. */
export interface TicketDetails {
  ticket: TicketRow;
  desk: Desk;
  category: { id: number; name: string } | null;
  attachments: AttachmentRow[];
  links: LinkRow[];
  /** The nearest deadline of a running SLA clock. */
  slaDue: Date | null;
  /** Whether a clock still running has broken its deadline. */
  slaBreached: boolean;
}

/** The statement behind `loadTicketDetails`: the ticket with its category, files, links and running clocks. */
function detailsQuery(db: Queryable) {
  return db.query.tickets
    .findFirst({
      where: eq(tickets.id, sql.placeholder('id')),
      with: {
        category: { columns: { id: true, name: true } },
        attachments: { where: isNull(attachments.commentId), orderBy: asc(attachments.id) },
        links: { orderBy: asc(links.id) },
        slaTimers: { where: isNull(slaTimers.metAt), columns: { dueAt: true, breachedAt: true } },
      },
    })
    .prepare('ticket_details');
}

/**
 * Each database's details statement, built once: the relay reads every ticket it delivers with it
 * (the card, the requester's message), and building the relational query anew each time took a tenth
 * of the app's CPU under load (measured by `npm run bench`). A transaction gets its own, built on first use.
 */
const prepared = new WeakMap<Queryable, ReturnType<typeof detailsQuery>>();

/** A ticket with its category, files, links and running clocks, read in one statement. */
export async function loadTicketDetails(
  db: Queryable,
  directory: DeskDirectory,
  ticketId: number,
): Promise<TicketDetails | undefined> {
  let query = prepared.get(db);
  if (!query) {
    query = detailsQuery(db);
    prepared.set(db, query);
  }
  const row = await query.execute({ id: ticketId });
  if (!row) return undefined;
  const { category, attachments: files, links: ticketLinks, slaTimers: clocks, ...ticket } = row;
  const desk = await directory.desk(db, ticket.deskKey);
  if (!desk) throw new Error(`ticket ${ticket.folio} refers to a missing desk ${ticket.deskKey}`);
  const dues = clocks.flatMap((clock) => (clock.dueAt ? [clock.dueAt.getTime()] : []));
  return {
    ticket,
    desk,
    category: category ?? null,
    attachments: files,
    links: ticketLinks,
    slaDue: dues.length > 0 ? new Date(Math.min(...dues)) : null,
    slaBreached: clocks.some((clock) => clock.breachedAt !== null),
  };
}
