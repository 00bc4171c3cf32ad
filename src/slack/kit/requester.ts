import { escapeTruncated, mentionUser } from '../../lib/mrkdwn.js';

/**
 * How much of a mail's display name and address is shown: whatever a From header says, a card's field
 * stays readable (and within Slack's 2,000 characters). 254 is the longest address SMTP carries.
 */
export const MAIL_NAME_SHOWN_MAX = 100;
export const MAIL_ADDRESS_SHOWN_MAX = 254;

/** A mail address as shown in Slack: escaped (it is whatever the mail said) and cut to a sane length. */
export const mailAddressMrkdwn = (address: string): string =>
  escapeTruncated(address, MAIL_ADDRESS_SHOWN_MAX);

/** Who asked, in Slack: a mention for a member, the name and address of an external requester. */
export function requesterMrkdwn(ticket: {
  requesterId: string | null;
  requesterEmail: string | null;
  requesterName: string | null;
}): string {
  if (ticket.requesterId) return mentionUser(ticket.requesterId);
  return personByMail(ticket.requesterName, ticket.requesterEmail ?? 'an unknown sender');
}

/** Who wrote a comment: a mention for a member, the address for mail from outside the workspace. */
export function authorMrkdwn(comment: { authorId: string | null; authorEmail: string | null }): string {
  if (comment.authorId) return mentionUser(comment.authorId);
  return personByMail(null, comment.authorEmail ?? 'an unknown sender');
}

function personByMail(name: string | null, address: string): string {
  return name
    ? `${escapeTruncated(name, MAIL_NAME_SHOWN_MAX)} (${mailAddressMrkdwn(address)})`
    : mailAddressMrkdwn(address);
}
