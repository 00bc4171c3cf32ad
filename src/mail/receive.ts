import { createHash } from 'node:crypto';
import type { DeskDirectory } from '../desks/directory.js';
import type { MemberLookup } from '../domain/people.js';
import type { Services } from '../services.js';
import { createTicket } from '../tickets/createTicket.js';
import { DESCRIPTION_MAX_LENGTH, SUBJECT_MAX_LENGTH } from '../tickets/limits.js';
import {
  cleanSubject,
  holdFiles,
  mailReceived,
  type ReceivedMail,
  recordBounce,
  recordReceivedMail,
  ticketAnswered,
} from '../tickets/mailIntake.js';
import { canView } from '../tickets/visibility.js';
import { addMailComment } from '../tickets/workflow/conversation.js';
import { MailRefusal } from './inbound/refusal.js';
import type { InboundMail } from './inbound/types.js';

/**
 * What a mail to a desk mailbox does, whichever way it came: a new ticket of that desk, or a comment
 * on the ticket it answers, written with the mail in one transaction. Auto-replies and bulk mail do
 * nothing; a bounce of Folio's own mail tells the desk. Who the sender is decides what they may do:
 * a workspace member (by address, unless the sender check failed) acts as themselves; anyone else is
 * an external requester, who may only answer their own tickets.
 */

export interface MailReceiverDeps {
  services: Services;
  directory: DeskDirectory;
  members: MemberLookup;
}

export type ReceiveOutcome =
  | { kind: 'ticket'; folio: string; created: boolean }
  | { kind: 'comment'; folio: string; changed: boolean }
  | { kind: 'duplicate' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'bounce'; folios: string[] };

/** What a mail without a subject is called when its first line will not do. */
export const NO_SUBJECT = '(no subject)';

export async function receiveMail(deps: MailReceiverDeps, mail: InboundMail): Promise<ReceiveOutcome> {
  const { services } = deps;
  if (mail.bounce) {
    // A 4.x.x report says delivery is delayed and still being tried: nothing has failed yet.
    if (mail.bounce.status?.startsWith('4')) return { kind: 'ignored', reason: 'delayed delivery report' };
    return { kind: 'bounce', folios: await recordBounce(services, mail.bounce) };
  }
  if (mail.automatic) return { kind: 'ignored', reason: mail.automatic };
  if (await mailReceived(services.db, mail.messageId)) return { kind: 'duplicate' };

  const desk = await deskOf(deps, mail.recipients);
  if (!mail.from) throw new MailRefusal(550, 'The mail has no sender (From:) to answer.');
  const sender = mail.from;
  // A sender whose check failed is never taken for the member their From: names.
  const verified = mail.authentication === null || mail.authentication.verified;
  const memberId = verified ? await deps.members.byEmail(sender.address) : null;
  const record: ReceivedMail = {
    messageId: mail.messageId,
    address: sender.address,
    subject: mail.subject,
    bodyText: mail.text,
    headers: {
      from: sender,
      recipients: mail.recipients,
      date: mail.date?.toISOString() ?? null,
      ...(mail.authentication ? { authentication: mail.authentication.summary } : {}),
    },
  };

  const answered = await ticketAnswered(services.db, mail);
  if (answered) {
    const { ticket } = answered;
    const ticketDesk = await deps.directory.desk(services.db, ticket.deskKey);
    const isRequester =
      (memberId !== null && ticket.requesterId === memberId) ||
      (ticket.requesterId === null && ticket.requesterEmail === sender.address);
    const mayComment =
      ticketDesk !== undefined &&
      isRequester &&
      canView(memberId ?? sender.address, { ...ticket, desk: ticketDesk }) &&
      // An unverified answer never lands on a private desk's ticket: it becomes a ticket of its own.
      (verified || !ticketDesk.private);
    if (mayComment) {
      const result = await addMailComment(services, {
        ticketId: ticket.id,
        memberId,
        address: sender.address,
        body: clip(mail.reply || mail.text, DESCRIPTION_MAX_LENGTH),
        mail: record,
        files: mail.attachments,
      });
      return { kind: 'comment', folio: ticket.folio, changed: result.changed };
    }
  }

  const result = await createTicket(
    services,
    {
      subject: subjectOf(mail),
      description: clip(mail.text, DESCRIPTION_MAX_LENGTH),
      deskKey: desk.key,
      requesterId: memberId,
      requesterEmail: sender.address,
      requesterName: sender.name,
      senderCheck: mail.authentication ? (mail.authentication.verified ? 'pass' : 'fail') : null,
      createdBy: memberId ?? sender.address,
      source: 'email',
      idempotencyKey: mailKey(mail.messageId),
    },
    async (tx, ticket) => {
      if (!(await recordReceivedMail(tx, ticket.id, null, record))) {
        throw new Error(`mail ${mail.messageId} was taken in twice`);
      }
      return holdFiles(tx, ticket.id, null, mail.attachments);
    },
  );
  return { kind: 'ticket', folio: result.ticket.folio, created: result.created };
}

/** A ticket's idempotency key from a Message-ID: one ticket per mail, whatever its length (keys hold 255). */
function mailKey(messageId: string): string {
  const key = `mail:${messageId}`;
  return key.length <= 255 ? key : `mail:sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}

/** The desk of the first recipient that is a desk mailbox; mail to none of them is refused. */
async function deskOf(deps: MailReceiverDeps, recipients: readonly string[]) {
  for (const address of recipients) {
    const desk = await deps.directory.deskByMailbox(deps.services.db, address);
    if (desk) return desk;
  }
  throw new MailRefusal(550, 'No desk has this mailbox.');
}

/** The subject without Re:/Fwd: and folio tags, else the body's first line, else NO_SUBJECT. */
function subjectOf(mail: InboundMail): string {
  const subject = cleanSubject(mail.subject);
  const firstLine = mail.text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  return clip(subject || firstLine || NO_SUBJECT, SUBJECT_MAX_LENGTH);
}

/** Text cut to `max` characters with an ellipsis; the whole mail stays in mail_messages. */
function clip(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}
