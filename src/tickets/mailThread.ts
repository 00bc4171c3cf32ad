import { and, asc, desc, eq, ne } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { type MailMessageRow, mailMessages } from '../db/schema/index.js';

/**
 * A ticket's conversation by mail, as the outbound side reads and writes it (mail_messages): which
 * Message-IDs a new mail threads on, and what Folio sent. Message-IDs are stored without their angle
 * brackets; every function here accepts them with or without.
 */

/**
 * The most Message-IDs a mail's References names: the thread's first mail and the latest ones. RFC 5322
 * lets a client trim References, and the clients that thread by it need the root and the recent
 * parents; a long conversation would otherwise grow the header without end.
 */
export const MAIL_REFERENCES_MAX = 20;

/** The Message-IDs a new mail of the ticket threads on. */
export interface MailThread {
  /** The conversation's first mail (the requester's, or Folio's first notice); null before any. */
  first: string | null;
  /**
   * The latest mails after the first, oldest first, at most MAIL_REFERENCES_MAX - 1 of them: the last
   * one is what a new mail answers (In-Reply-To).
   */
  latest: string[];
}

/** `<id@host>` or `id@host` → `id@host`. */
export const bareMessageId = (messageId: string): string => messageId.trim().replace(/^<(.*)>$/, '$1');

/**
 * The ticket's mails both ways, in the order they were written, without those that bounced (the
 * requester never got them, so their client cannot thread on them).
 */
export async function mailThreadOf(db: Queryable, ticketId: number): Promise<MailThread> {
  const delivered = and(eq(mailMessages.ticketId, ticketId), ne(mailMessages.status, 'bounced'));
  const [first] = await db
    .select({ id: mailMessages.id, messageId: mailMessages.messageId })
    .from(mailMessages)
    .where(delivered)
    .orderBy(asc(mailMessages.id))
    .limit(1);
  if (!first) return { first: null, latest: [] };
  const latest = await db
    .select({ id: mailMessages.id, messageId: mailMessages.messageId })
    .from(mailMessages)
    .where(delivered)
    .orderBy(desc(mailMessages.id))
    .limit(MAIL_REFERENCES_MAX - 1);
  return {
    first: first.messageId,
    latest: latest
      .filter((row) => row.id !== first.id)
      .reverse()
      .map((row) => row.messageId),
  };
}

export interface OutboundMail {
  ticketId: number;
  /** The public reply it carried (`mail.reply`); null for a notice. */
  commentId: number | null;
  outboxId: number;
  messageId: string;
  /** The recipient. */
  address: string;
  subject: string;
}

/**
 * A mail the SMTP server accepted. Idempotent on its Message-ID: a delivery repeated after a lost
 * answer records nothing more.
 */
export async function recordSentMail(db: Queryable, mail: OutboundMail): Promise<void> {
  await db
    .insert(mailMessages)
    .values({ ...mail, messageId: bareMessageId(mail.messageId), direction: 'out', status: 'sent' })
    .onConflictDoNothing({ target: [mailMessages.direction, mailMessages.messageId] });
}

/**
 * A mail refused for good before it left (the SMTP server answered 5xx, or no server is configured),
 * recorded as bounced with why. True the first time: the caller tells the desk once, however often
 * the same delivery is tried.
 */
export async function recordRefusedMail(
  db: Queryable,
  mail: OutboundMail & { detail: string },
): Promise<boolean> {
  const inserted = await db
    .insert(mailMessages)
    .values({ ...mail, messageId: bareMessageId(mail.messageId), direction: 'out', status: 'bounced' })
    .onConflictDoNothing({ target: [mailMessages.direction, mailMessages.messageId] })
    .returning({ id: mailMessages.id });
  return inserted.length > 0;
}

/** A mail Folio sent (or tried to), by its Message-ID; undefined when it sent none with that id. */
export async function sentMailByMessageId(
  db: Queryable,
  messageId: string,
): Promise<MailMessageRow | undefined> {
  const [row] = await db
    .select()
    .from(mailMessages)
    .where(and(eq(mailMessages.direction, 'out'), eq(mailMessages.messageId, bareMessageId(messageId))));
  return row;
}
