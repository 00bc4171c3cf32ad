import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Queryable, Tx } from '../db/client.js';
import { mailMessages, type TicketRow, tickets } from '../db/schema/index.js';
import { transaction } from '../db/tx.js';
import { parseFolio } from '../domain/folio.js';
import { normalizeText } from '../domain/text.js';
import { escapeMrkdwn } from '../lib/mrkdwn.js';
import { enqueue, type OutboxMessage } from '../outbox/messages.js';
import type { Services } from '../services.js';
import { holdUpload } from './uploads.js';

/**
 * What the core keeps of mail that comes in: which ticket an answer belongs to, the mail itself
 * (written in the transaction of the ticket or comment it makes, so the same Message-ID again changes
 * nothing), and its files, held until the relay has uploaded them to the ticket's card thread.
 */

/** How many earlier Message-IDs of a reply are looked up (In-Reply-To first, then References, newest first). */
export const MAX_THREAD_LOOKUP = 50;

/** Whether a mail with this Message-ID has already been taken in. */
export async function mailReceived(db: Queryable, messageId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: mailMessages.id })
    .from(mailMessages)
    .where(and(eq(mailMessages.direction, 'in'), eq(mailMessages.messageId, messageId)));
  return row !== undefined;
}

/**
 * The ticket a mail answers: the one whose conversation holds a mail it names (In-Reply-To, then
 * References from the newest), else the folio written in its subject (`[TKT042]`). Which of these the
 * sender may comment on is the caller's decision.
 */
export async function ticketAnswered(
  db: Queryable,
  mail: { inReplyTo: readonly string[]; references: readonly string[]; subject: string },
): Promise<{ ticket: TicketRow; matchedBy: 'thread' | 'subject' } | undefined> {
  const named = [...mail.inReplyTo, ...[...mail.references].reverse()].slice(0, MAX_THREAD_LOOKUP);
  if (named.length > 0) {
    const rows = await db
      .select({ ticketId: mailMessages.ticketId, messageId: mailMessages.messageId })
      .from(mailMessages)
      .where(inArray(mailMessages.messageId, named))
      .orderBy(desc(mailMessages.id));
    const byId = new Map(rows.map((row) => [row.messageId, row.ticketId]));
    const ticketId = named.map((id) => byId.get(id)).find((id) => id !== undefined);
    if (ticketId !== undefined) {
      const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
      if (ticket) return { ticket, matchedBy: 'thread' };
    }
  }
  const folio = folioInSubject(mail.subject);
  if (folio) {
    const [ticket] = await db.select().from(tickets).where(eq(tickets.folio, folio));
    if (ticket) return { ticket, matchedBy: 'subject' };
  }
  return undefined;
}

/** `Re: [TKT042] Printer jammed` → `TKT042`: only a folio in square brackets counts. */
export function folioInSubject(subject: string): string | undefined {
  for (const match of subject.matchAll(/\[\s*#?([A-Za-z]{1,10}-?\d{1,9})\s*\]/g)) {
    const parsed = match[1] ? parseFolio(match[1]) : undefined;
    if (parsed) return parsed.folio;
  }
  return undefined;
}

/** A subject without reply and forward prefixes nor a folio tag: what a new ticket is called. */
export function cleanSubject(subject: string): string {
  let cleaned = normalizeText(subject).replace(/\s+/g, ' ').trim();
  for (;;) {
    const next = cleaned
      .replace(/^(re|fw|fwd|aw|sv|vs|antw|wg|tr)\s*(\[\d+\])?\s*:\s*/i, '')
      .replace(/^\[\s*#?[A-Za-z]{1,10}-?\d{1,9}\s*\]\s*/, '')
      .trim();
    if (next === cleaned) return cleaned;
    cleaned = next;
  }
}

export interface ReceivedMail {
  messageId: string;
  address: string;
  subject: string;
  /** The whole text as received. */
  bodyText: string;
  headers: Record<string, unknown>;
}

/**
 * Records a mail taken in, in the caller's transaction. False when that Message-ID was already taken
 * in (the same mail delivered again, perhaps at the same moment): the caller then writes nothing.
 */
export async function recordReceivedMail(
  tx: Tx,
  ticketId: number,
  commentId: number | null,
  mail: ReceivedMail,
): Promise<boolean> {
  const rows = await tx
    .insert(mailMessages)
    .values({
      ticketId,
      commentId,
      direction: 'in',
      messageId: mail.messageId,
      address: mail.address,
      subject: mail.subject,
      bodyText: mail.bodyText,
      headers: mail.headers,
      status: 'received',
    })
    .onConflictDoNothing({ target: [mailMessages.direction, mailMessages.messageId] })
    .returning({ id: mailMessages.id });
  return rows.length > 0;
}

export async function linkMailToComment(tx: Tx, messageId: string, commentId: number): Promise<void> {
  await tx
    .update(mailMessages)
    .set({ commentId })
    .where(and(eq(mailMessages.direction, 'in'), eq(mailMessages.messageId, messageId)));
}

export interface HeldFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * Holds a mail's files until the relay uploads them to the card's thread (uploads.ts), in the caller's
 * transaction; returns the messages that upload them. Every file is held, each uploaded on its own:
 * a mail is not a Slack message, whose MAX_ATTACHMENTS would silently drop the 11th file of a mail.
 * How many files a mail may bring is the mail channel's limit, which refuses a mail over it.
 */
export async function holdFiles(
  tx: Tx,
  ticketId: number,
  commentId: number | null,
  files: readonly HeldFile[],
): Promise<OutboxMessage[]> {
  const messages: OutboxMessage[] = [];
  for (const file of files) {
    const uploadId = await holdUpload(tx, {
      ticketId,
      commentId,
      name: file.filename,
      mimetype: file.contentType.slice(0, 255),
      content: file.content,
    });
    messages.push({ kind: 'file.upload', ticketId, uploadId });
  }
  return messages;
}

/**
 * A bounce of Folio's own mail: the mails it names are marked bounced and each ticket's desk is told
 * in the card's thread, in one transaction. Returns the folios concerned (none when the bounce names
 * no mail Folio sent).
 */
export async function recordBounce(
  services: Services,
  bounce: { originalMessageIds: readonly string[]; status: string | null; diagnostic: string | null },
): Promise<string[]> {
  if (bounce.originalMessageIds.length === 0) return [];
  // A diagnostic usually repeats the status ("550 5.1.1 <x@example.com>: …"): then it says it alone.
  const repeatsStatus = bounce.status !== null && bounce.diagnostic?.includes(bounce.status) === true;
  const detail =
    (repeatsStatus ? [bounce.diagnostic] : [bounce.status, bounce.diagnostic])
      .filter(Boolean)
      .join(' ')
      .slice(0, 500) || null;
  return transaction(services.db, async (tx, afterCommit) => {
    const bouncedMails = await tx
      .update(mailMessages)
      .set({ status: 'bounced', detail })
      .where(
        and(
          eq(mailMessages.direction, 'out'),
          inArray(mailMessages.messageId, [...bounce.originalMessageIds]),
          ne(mailMessages.status, 'bounced'),
        ),
      )
      .returning({ ticketId: mailMessages.ticketId, address: mailMessages.address });
    if (bouncedMails.length === 0) return [];
    const bouncedTickets = await tx
      .select({ id: tickets.id, folio: tickets.folio })
      .from(tickets)
      .where(
        inArray(
          tickets.id,
          bouncedMails.map((mail) => mail.ticketId),
        ),
      );
    const folioOf = new Map(bouncedTickets.map((ticket) => [ticket.id, ticket.folio]));
    await enqueue(
      tx,
      afterCommit,
      services.outbox,
      bouncedMails.map((mail) => ({
        kind: 'desk.note' as const,
        ticketId: mail.ticketId,
        text:
          `:warning: The mail to ${escapeMrkdwn(mail.address)} about ${folioOf.get(mail.ticketId) ?? 'this ticket'} ` +
          `bounced${detail ? `: ${escapeMrkdwn(detail)}` : ''}. The requester did not get it.`,
      })),
    );
    return [...new Set(bouncedMails.map((mail) => folioOf.get(mail.ticketId) ?? ''))].filter(Boolean);
  });
}
