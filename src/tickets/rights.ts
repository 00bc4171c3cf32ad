import { FolioError } from '../domain/errors.js';
import { canView, isRequesterOf, noSuchTicket, relationTo, type VisibilitySubject } from './visibility.js';

/**
 * Who may act on a ticket, decided once for every channel: `changeTicket` asks before any change, and
 * a channel asks before it shows a form for one (a modal opened from a card), so a person is refused
 * in the same words wherever they act. Someone who may not see the ticket (a private desk's, to an
 * outsider) is refused as for a missing ticket: the refusal names neither its folio nor its desk.
 */

/** Who may make a change: the desk's members, the ticket's requester, either, or anyone who can see it. */
export type Permission = 'desk' | 'requester' | 'desk_or_requester' | 'anyone';

export interface ActedOnTicket {
  folio: string;
  requesterId: string | null;
  requesterEmail?: string | null;
}

export type ActedOnDesk = VisibilitySubject['desk'] & { name: string };

/** Why `viewer` may not act on the ticket as `who` requires, or nothing when they may. */
export function mayAct(
  viewer: string,
  ticket: ActedOnTicket,
  desk: ActedOnDesk,
  who: Permission,
): FolioError | undefined {
  const subject = { requesterId: ticket.requesterId, requesterEmail: ticket.requesterEmail ?? null, desk };
  if (!canView(viewer, subject)) return noSuchTicket();
  const isRequester = isRequesterOf(viewer, subject);
  const isMember = relationTo(viewer, subject) === 'member';
  const allowed: Record<Permission, boolean> = {
    anyone: true,
    desk: isMember,
    requester: isRequester,
    desk_or_requester: isMember || isRequester,
  };
  if (allowed[who]) return undefined;
  return new FolioError(
    'forbidden',
    who === 'requester'
      ? `Only the requester of ${ticket.folio} can do that.`
      : `Only members of the ${desk.name} desk can change ${ticket.folio}.`,
  );
}
