import { escapeMrkdwn, mentionUser } from '../../lib/mrkdwn.js';

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
  return name ? `${escapeMrkdwn(name)} (${escapeMrkdwn(address)})` : escapeMrkdwn(address);
}
