import type { TicketRow } from '../../db/schema/index.js';
import type { Desk } from '../../desks/directory.js';
import type { TemplateName } from '../../desks/model.js';
import { PRIORITY_LABEL } from '../../domain/priority.js';
import { STATUS_LABEL } from '../../domain/status.js';
import type { TicketDetails } from '../../tickets/details.js';
import type { MailThread } from '../../tickets/mailThread.js';
import { templateFor } from '../../tickets/templates.js';
import {
  type LinkedFile,
  MAIL_ATTACHMENT_MAX_BYTES,
  MAIL_ATTACHMENTS_TOTAL_MAX_BYTES,
  type MailAttachment,
  type MailFiles,
} from './attachments.js';
import { type KnownNames, renderTemplateAsText, UNNAMED_MEMBER } from './plainText.js';

/**
 * A mail to an external requester, composed from the ticket as it is when delivered: the desk's
 * template (or a desk member's public reply) as plain text, from the desk's mailbox, threaded on the
 * ticket's earlier mails so that the requester's client shows one conversation per ticket. Pure: the
 * deliverer reads what it needs and hands it in.
 */

export interface MailAddress {
  address: string;
  /** The display name; empty when there is none. */
  name: string;
}

/** What a mail says: one of the desk's templates, or a desk member's public reply with its files. */
export type MailBody =
  | { kind: 'notice'; template: TemplateName }
  | { kind: 'reply'; author: string; comment: string; files: MailFiles };

export interface MailInput {
  details: TicketDetails;
  /** The desk's mailbox: the mail comes from it, and answers go back to it. */
  mailbox: string;
  to: MailAddress;
  /** The outbox row that sends it: its Message-ID is made from it. */
  outboxId: number;
  /** The ticket's mails so far (tickets/mailThread.ts). */
  thread: MailThread;
  body: MailBody;
  /** Names of the Slack members the mail mentions (the assignee, mentions in the template). */
  names?: KnownNames;
}

export interface ComposedMail {
  /** Without angle brackets, as mail_messages keeps it. */
  messageId: string;
  from: MailAddress;
  to: MailAddress;
  subject: string;
  text: string;
  /** The mail it answers (without angle brackets); null for the first of the thread. */
  inReplyTo: string | null;
  references: string[];
  /** Further headers, by name. */
  headers: Record<string, string>;
  attachments: MailAttachment[];
}

/**
 * The Message-ID of the mail an outbox row sends: the same for every attempt of the row, so that a
 * mail sent again after a lost answer is the same message to the requester's client (most show one).
 */
export function mailMessageId(outboxId: number, folio: string, mailbox: string): string {
  return `folio.${outboxId}.${folio.toLowerCase()}@${domainOf(mailbox)}`;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * `[TKT042] subject`, with `Re: ` once the thread has a first mail: clients thread on it, and the folio
 * in the subject lets an answer find its ticket when its client dropped In-Reply-To and References.
 */
export function mailSubject(ticket: Pick<TicketRow, 'folio' | 'subject'>, thread: MailThread): string {
  const subject = `[${ticket.folio}] ${ticket.subject.replace(/\s+/g, ' ').trim()}`;
  return thread.first === null ? subject : `Re: ${subject}`;
}

/** The name a desk's mail comes from: "IT desk" for the desk named IT. */
export function deskSenderName(desk: Pick<Desk, 'name'>): string {
  return /\bdesk$/i.test(desk.name.trim()) ? desk.name.trim() : `${desk.name.trim()} desk`;
}

/** Who hears about a ticket by mail, or why nobody does. */
export type MailRecipient = { to: MailAddress } | { skipped: string };

/**
 * The ticket's requester as a mail recipient: an external requester (no Slack member) with an address.
 * A member hears in Slack: a mail for their ticket was routed here by mistake.
 */
export function recipientOf(
  ticket: Pick<TicketRow, 'requesterId' | 'requesterEmail' | 'requesterName'>,
): MailRecipient {
  if (ticket.requesterId !== null) return { skipped: 'the requester is in Slack' };
  if (!ticket.requesterEmail) return { skipped: 'the requester has no mail address' };
  return { to: { address: ticket.requesterEmail, name: ticket.requesterName ?? '' } };
}

/** Headers every mail of Folio carries: it answers on its own, so other robots do not answer it. */
export const AUTOMATIC_MAIL_HEADERS = {
  'Auto-Submitted': 'auto-replied',
  // Exchange and Outlook: no out-of-office or other automatic answer to this mail.
  'X-Auto-Response-Suppress': 'All',
} as const;

export function composeMail(input: MailInput): ComposedMail {
  const { details, thread } = input;
  const { ticket, desk } = details;
  const latest = thread.latest.at(-1) ?? thread.first;
  return {
    messageId: mailMessageId(input.outboxId, ticket.folio, input.mailbox),
    from: { address: input.mailbox, name: deskSenderName(desk) },
    to: input.to,
    subject: mailSubject(ticket, thread),
    text: mailText(input),
    inReplyTo: latest,
    references: thread.first === null ? [] : [thread.first, ...thread.latest],
    headers: { ...AUTOMATIC_MAIL_HEADERS, 'X-Folio-Ticket': ticket.folio },
    attachments: input.body.kind === 'reply' ? input.body.files.attached : [],
  };
}

/** The values a template gets, as plain text (requesterNotice's, without Slack's markup). */
export function mailTemplateValues(
  details: TicketDetails,
  names: KnownNames,
  extra: Record<string, string> = {},
): Record<string, string> {
  const { ticket, desk } = details;
  return {
    folio: ticket.folio,
    subject: ticket.subject,
    desk: desk.name,
    requester: ticket.requesterName ?? ticket.requesterEmail ?? 'you',
    assignee: ticket.assigneeId ? (names.get(ticket.assigneeId) ?? UNNAMED_MEMBER) : 'nobody yet',
    status: STATUS_LABEL[ticket.status],
    priority: PRIORITY_LABEL[ticket.priority],
    days: String(desk.autoCloseAfterDays),
    resolution: ticket.resolutionNote ?? '',
    due: details.slaDue ? mailDate(details.slaDue, desk.timezone) : 'within its business hours',
    ...extra,
  };
}

/** A moment as the requester reads it, in the desk's time zone: "Monday 2 March 2026 at 10:15 CET". */
export function mailDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(at);
}

function mailText(input: MailInput): string {
  const { details, body } = input;
  const names = input.names ?? new Map<string, string>();
  const template = body.kind === 'notice' ? body.template : 'publicReply';
  const extra: Record<string, string> =
    body.kind === 'reply' ? { author: body.author, comment: body.comment } : {};
  const parts = [
    renderTemplateAsText(
      templateFor(details.desk.templates, template),
      mailTemplateValues(details, names, extra),
      names,
    ),
  ];
  // As in Slack, the first message says when an answer is promised.
  if (body.kind === 'notice' && body.template === 'created' && details.slaDue)
    parts.push(`The desk aims to answer by ${mailDate(details.slaDue, details.desk.timezone)}.`);
  if (body.kind === 'reply' && body.files.linked.length > 0) parts.push(linkedFilesText(body.files.linked));
  parts.push(`Reply to this mail to add to ${details.ticket.folio}.`);
  return `${parts.join('\n\n')}\n`;
}

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
/** A file's size, rounded up: a file just over a limit never reads as the limit itself. */
const fileMegabytes = (bytes: number) => `${(Math.ceil((bytes / MB) * 10) / 10).toFixed(1)} MB`;

const LINK_REASON: Record<LinkedFile['reason'], string> = {
  too_large: `over the ${megabytes(MAIL_ATTACHMENT_MAX_BYTES)} a mail attaches per file`,
  over_total: `over the ${megabytes(MAIL_ATTACHMENTS_TOTAL_MAX_BYTES)} a mail attaches in all`,
  unavailable: 'it could not be read',
};

/** The files a reply could not attach, each with its link. */
function linkedFilesText(files: readonly LinkedFile[]): string {
  const lines = files.map((file) => {
    const size = file.size === null ? '' : `${fileMegabytes(file.size)}, `;
    const where = file.permalink ? `: ${file.permalink}` : '';
    return `- ${file.name} (${size}${LINK_REASON[file.reason]})${where}`;
  });
  return [
    'Not attached to this mail:',
    ...lines,
    'If a link does not open for you, reply to this mail and the desk will send the file another way.',
  ].join('\n');
}
