import type { Transporter } from 'nodemailer';
import type { Db } from '../../db/client.js';
import { transaction } from '../../db/tx.js';
import type { DeskDirectory } from '../../desks/directory.js';
import type { FileContentSource } from '../../domain/files.js';
import type { FolioLogger } from '../../lib/logger.js';
import { escapeMrkdwn, escapeTruncated, truncate } from '../../lib/mrkdwn.js';
import {
  type Deliverer,
  type Delivery,
  type DeliveryResult,
  PermanentDeliveryError,
} from '../../outbox/deliverer.js';
import { enqueue, type OutboxMessage, type OutboxSignal } from '../../outbox/messages.js';
import { loadTicketDetails, type TicketDetails } from '../../tickets/details.js';
import {
  mailThreadOf,
  type OutboundMail,
  recordRefusedMail,
  recordSentMail,
  sentMailByMessageId,
} from '../../tickets/mailThread.js';
import { type CommentWithFiles, loadCommentWithFiles } from '../../tickets/messageRefs.js';
import { templateFor } from '../../tickets/templates.js';
import { filesForMail, NO_FILES } from './attachments.js';
import {
  type ComposedMail,
  composeMail,
  deskSenderName,
  type MailBody,
  mailMessageId,
  recipientOf,
} from './compose.js';
import type { KnownNames } from './plainText.js';
import { classifyMailFailure, sendMailOptions } from './transport.js';

/** Display names of Slack members; the Slack channel's `People` (users.info, cached) is one. */
export interface MemberNames {
  names(userIds: readonly string[]): Promise<Map<string, string>>;
}

/** What the mail deliverer works with. */
export interface MailDeliveryDeps {
  db: Db;
  /** Desks for rendering. */
  directory: DeskDirectory;
  /** `createMailTransport(SMTP_URL, …)`; null when SMTP_URL is unset (a mail to send then fails, and the desk is told). */
  transport: Transporter | null;
  /** Reads the Slack files of a public reply, to attach them. */
  files: FileContentSource;
  /** Wakes the relay for the desk's note about a mail that could not be delivered. */
  outbox: OutboxSignal;
  log: FolioLogger;
  /** Names the assignee, a reply's author and the template's mentions; without it they are the desk. */
  names?: MemberNames;
}

type MailMessage = Extract<OutboxMessage, { kind: 'mail.notify' | 'mail.reply' }>;

/**
 * The mail deliverer: the desk's templates and public replies to an external requester, by mail
 * (`mail.notify`, `mail.reply`), composed from the ticket as it is when delivered (compose.ts). A mail
 * that has nobody to go to, or nothing to say, is skipped with a result; one the SMTP server refuses
 * for good is told to the desk in the card's thread, then dropped; anything else is retried by the
 * relay as `classifyMailFailure` says.
 */
export function mailDeliverer(deps: MailDeliveryDeps): Deliverer {
  return {
    kinds: ['mail.notify', 'mail.reply'],
    deliver: (delivery) => deliverMail(deps, delivery),
    classify: classifyMailFailure,
    gaveUp: (delivery, detail) => tellDeskGivenUp(deps, delivery, detail),
  };
}

/** The relay gave up on a mail after its last retry (a relay down for hours): the desk is told. */
async function tellDeskGivenUp(deps: MailDeliveryDeps, delivery: Delivery, detail: string): Promise<void> {
  const { message } = delivery;
  if (message.kind !== 'mail.notify' && message.kind !== 'mail.reply') return;
  const details = await loadTicketDetails(deps.db, deps.directory, message.ticketId);
  const mailbox = details?.desk.mailbox;
  if (!details || !mailbox) return;
  const recipient = recipientOf(details.ticket);
  if ('skipped' in recipient) return;
  const comment =
    message.kind === 'mail.reply' ? ((await loadCommentWithFiles(deps.db, message.commentId)) ?? null) : null;
  await tellDesk(
    deps,
    details,
    message,
    comment,
    {
      ticketId: details.ticket.id,
      commentId: comment?.id ?? null,
      outboxId: delivery.id,
      messageId: mailMessageId(delivery.id, details.ticket.folio, mailbox),
      address: recipient.to.address,
      subject: `[${details.ticket.folio}] ${details.ticket.subject}`,
    },
    `still failing after ${delivery.attempts} attempts, given up: ${detail}`,
  );
}

async function deliverMail(deps: MailDeliveryDeps, delivery: Delivery): Promise<DeliveryResult> {
  const { message } = delivery;
  if (message.kind !== 'mail.notify' && message.kind !== 'mail.reply')
    throw new PermanentDeliveryError(`${message.kind} is not mail`);
  const details = await loadTicketDetails(deps.db, deps.directory, message.ticketId);
  if (!details) throw new PermanentDeliveryError(`ticket ${message.ticketId} does not exist`);
  const { ticket } = details;

  const comment =
    message.kind === 'mail.reply' ? await replyComment(deps, ticket.id, message.commentId) : null;
  if (comment && 'skipped' in comment) return comment;
  const mailbox = details.desk.mailbox;
  if (!mailbox) return { skipped: 'the desk has no mailbox' };
  const recipient = recipientOf(ticket);
  if ('skipped' in recipient) return recipient;

  const messageId = mailMessageId(delivery.id, ticket.folio, mailbox);
  // Every attempt of the row sends the same Message-ID: an earlier one that got this far left its mark.
  const earlier = await sentMailByMessageId(deps.db, messageId);
  if (earlier?.status === 'sent') return { skipped: 'already sent', messageId };
  if (earlier?.status === 'bounced')
    throw new PermanentDeliveryError(`mail to ${earlier.address} was refused: ${earlier.detail ?? ''}`);

  const thread = await mailThreadOf(deps.db, ticket.id);
  const names = await namesFor(deps, details, message, comment);
  const body: MailBody = comment
    ? {
        kind: 'reply',
        author: authorName(details, comment, names),
        comment: comment.body,
        files: deps.transport ? await filesForMail(comment.files, deps.files) : NO_FILES,
      }
    : { kind: 'notice', template: message.kind === 'mail.notify' ? message.template : 'publicReply' };
  const mail = composeMail({
    details,
    mailbox,
    to: recipient.to,
    outboxId: delivery.id,
    thread,
    body,
    names,
  });
  const record: OutboundMail = {
    ticketId: ticket.id,
    commentId: comment?.id ?? null,
    outboxId: delivery.id,
    messageId,
    address: mail.to.address,
    subject: mail.subject,
  };

  if (!deps.transport)
    return refuse(
      deps,
      details,
      message,
      comment,
      record,
      'no outgoing mail server is configured (SMTP_URL)',
    );
  try {
    await deps.transport.sendMail(sendMailOptions(mail));
  } catch (error) {
    const failure = classifyMailFailure(error);
    if (failure?.kind === 'permanent') return refuse(deps, details, message, comment, record, failure.detail);
    throw error;
  }
  await recordSentMail(deps.db, record);
  return sentResult(mail);
}

/** The public reply a `mail.reply` carries, or why it does not go out. */
async function replyComment(
  deps: MailDeliveryDeps,
  ticketId: number,
  commentId: number,
): Promise<CommentWithFiles | { skipped: string }> {
  const comment = await loadCommentWithFiles(deps.db, commentId);
  if (!comment || comment.ticketId !== ticketId)
    throw new PermanentDeliveryError(`comment ${commentId} of ticket ${ticketId} does not exist`);
  // Internal notes stay with the desk, whatever enqueued them.
  if (comment.visibility !== 'public') return { skipped: 'internal note' };
  if (comment.deletedAt) return { skipped: 'comment deleted' };
  // The requester's own mail: they have it already.
  if (comment.authorId === null) return { skipped: "the requester's own comment" };
  return comment;
}

/** The Slack members the mail names, by name, when the deliverer can tell (people it cannot are left out). */
async function namesFor(
  deps: MailDeliveryDeps,
  details: TicketDetails,
  message: MailMessage,
  comment: CommentWithFiles | null,
): Promise<KnownNames> {
  if (!deps.names) return new Map();
  const template = templateFor(
    details.desk.templates,
    message.kind === 'mail.notify' ? message.template : 'publicReply',
  );
  const mentioned = [...template.matchAll(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g)].flatMap((match) =>
    match[1] ? [match[1]] : [],
  );
  const ids = [details.ticket.assigneeId, comment?.authorId, ...mentioned].filter(
    (id): id is string => typeof id === 'string',
  );
  if (ids.length === 0) return new Map();
  const found = await deps.names.names(ids);
  // A name that could not be read comes back as the user id: not a name to show a requester.
  return new Map([...found].filter(([id, name]) => name.trim() !== '' && name !== id));
}

/** Who wrote a reply, as the requester reads it: the member's name, else the desk's. */
function authorName(details: TicketDetails, comment: CommentWithFiles, names: KnownNames): string {
  return (comment.authorId && names.get(comment.authorId)) || deskSenderName(details.desk);
}

function sentResult(mail: ComposedMail): DeliveryResult {
  return {
    messageId: mail.messageId,
    to: mail.to.address,
    ...(mail.attachments.length > 0 ? { attached: mail.attachments.map((file) => file.name) } : {}),
  };
}

/** The desk's note about a mail the requester did not get; mrkdwn, short of desk.note's 3,000 characters. */
export function undeliveredNote(folio: string, address: string, what: string, detail: string): string {
  return (
    `:warning: Mail to ${escapeMrkdwn(address)} about ${folio} (${what}) could not be delivered: ` +
    `${escapeTruncated(detail, UNDELIVERED_DETAIL_MAX)}. The requester did not get it.`
  );
}

/** How much of the SMTP server's answer the desk's note quotes. */
const UNDELIVERED_DETAIL_MAX = 1000;
/** How much of a reply the desk's note quotes to say which reply it was. */
const REPLY_EXCERPT_MAX = 80;

/**
 * A mail that can never go: recorded as bounced and told to the desk in the card's thread, in one
 * transaction, once however often the row is tried; then dropped by the relay.
 */
async function refuse(
  deps: MailDeliveryDeps,
  details: TicketDetails,
  message: MailMessage,
  comment: CommentWithFiles | null,
  record: OutboundMail,
  detail: string,
): Promise<never> {
  await tellDesk(deps, details, message, comment, record, detail);
  throw new PermanentDeliveryError(`mail to ${record.address} could not be delivered: ${detail}`);
}

/** Records the mail as refused and tells the desk in the card's thread, in one transaction, once. */
async function tellDesk(
  deps: MailDeliveryDeps,
  details: TicketDetails,
  message: MailMessage,
  comment: CommentWithFiles | null,
  record: OutboundMail,
  detail: string,
): Promise<void> {
  const what =
    message.kind === 'mail.notify'
      ? `the “${message.template}” notice`
      : `the reply “${escapeMrkdwn(truncate((comment?.body ?? '').replace(/\s+/g, ' ').trim(), REPLY_EXCERPT_MAX))}”`;
  await transaction(deps.db, async (tx, afterCommit) => {
    if (!(await recordRefusedMail(tx, { ...record, detail }))) return;
    await enqueue(tx, afterCommit, deps.outbox, [
      {
        kind: 'desk.note',
        ticketId: details.ticket.id,
        text: undeliveredNote(details.ticket.folio, record.address, what, detail),
      },
    ]);
  });
  deps.log.warn('A mail to a requester could not be delivered; the desk was told', {
    ticketId: details.ticket.id,
    messageId: record.messageId,
    detail,
  });
}
