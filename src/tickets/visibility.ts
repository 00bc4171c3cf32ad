import { type SQL, sql } from 'drizzle-orm';
import { tickets } from '../db/schema/index.js';
import { FolioError } from '../domain/errors.js';

/**
 * Who may see a ticket. Tickets are visible inside the company (the original helpdesk's rule), except
 * those of a private desk (HR…): only their requester and the desk's members see them, in every
 * surface — lists, search, `/ticket TKT042`, the Home tab. A hidden ticket is answered exactly like a
 * missing one, so its existence does not leak.
 */

export interface VisibilitySubject {
  requesterId: string | null;
  /** An external requester acts by mail, under their address. */
  requesterEmail?: string | null;
  desk: { private: boolean; members: readonly string[] };
}

export type Relation = 'member' | 'requester' | 'other';

/** How `viewer` relates to a ticket: a member of its desk, its requester, or anyone else. */
export function relationTo(viewer: string, ticket: VisibilitySubject): Relation {
  if (ticket.desk.members.includes(viewer)) return 'member';
  if (isRequesterOf(viewer, ticket)) return 'requester';
  return 'other';
}

/** Slack ids and mail addresses never look alike, so one viewer string is either. */
export const isRequesterOf = (viewer: string, ticket: VisibilitySubject): boolean =>
  ticket.requesterId === viewer || (!!ticket.requesterEmail && ticket.requesterEmail === viewer);

/** Whether `viewer` sees a desk's tickets as such: a public desk, or a private one they belong to. */
export const canSeeDesk = (viewer: string, desk: VisibilitySubject['desk']): boolean =>
  !desk.private || desk.members.includes(viewer);

export const canView = (viewer: string, ticket: VisibilitySubject): boolean =>
  canSeeDesk(viewer, ticket.desk) || isRequesterOf(viewer, ticket);

/** What an action on a missing ticket answers, and so an action on one the person may not see. */
export const NO_SUCH_TICKET = 'That ticket no longer exists.';

export const noSuchTicket = (): FolioError => new FolioError('not_found', NO_SUCH_TICKET);

/** The same rule as SQL over `tickets`, for lists and search. */
export function visibleTo(viewer: string): SQL {
  return sql`(
    ${tickets.requesterId} = ${viewer}
    or not exists (select 1 from desks d where d.key = ${tickets.deskKey} and d.is_private)
    or exists (select 1 from desk_members m where m.desk_key = ${tickets.deskKey} and m.user_id = ${viewer})
  )`;
}
