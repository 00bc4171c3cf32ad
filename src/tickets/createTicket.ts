import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordEvent } from '../audit/record.js';
import type { Queryable, Tx } from '../db/client.js';
import {
  attachments,
  desks,
  folioCounters,
  SENDER_CHECKS,
  TICKET_SOURCES,
  type TicketRow,
  tickets,
} from '../db/schema/index.js';
import { transaction, violatedUniqueConstraint } from '../db/tx.js';
import { chooseAssignee } from '../domain/assignment.js';
import { FolioError } from '../domain/errors.js';
import { formatFolio } from '../domain/folio.js';
import { DEFAULT_PRIORITY, PRIORITIES } from '../domain/priority.js';
import { SLACK_USER_ID } from '../domain/slackIds.js';
import { ACTIVE_STATUSES } from '../domain/status.js';
import { normalizeText } from '../domain/text.js';
import { enqueue, type OutboxMessage } from '../outbox/messages.js';
import type { Services } from '../services.js';
import { startClocks } from '../sla/clocks.js';
import { ticketFromMessage } from './drafts.js';
import { DESCRIPTION_MAX_LENGTH, MAX_ATTACHMENTS, SUBJECT_MAX_LENGTH } from './limits.js';
import { toRequester } from './requesterChannel.js';

const slackUser = z.string().regex(SLACK_USER_ID, { error: 'Choose a person in your Slack workspace.' });

/** A mail address as stored: trimmed, lower case (mail routing ignores case in practice). */
export const mailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Give a valid mail address.' }).max(254));

export const attachmentInput = z.object({
  slackFileId: z.string().min(1),
  name: z.string().overwrite(normalizeText).min(1).max(255),
  mimetype: z.string().max(255).nullable().default(null),
  size: z.number().int().nonnegative().nullable().default(null),
  permalink: z.string().url().nullable().default(null),
});

export const newTicketSchema = z
  .object({
    subject: z
      .string()
      .transform((subject) => normalizeText(subject).replace(/\s+/g, ' ').trim())
      .pipe(
        z
          .string()
          .min(1, { error: 'Give the ticket a subject.' })
          .max(SUBJECT_MAX_LENGTH, { error: `Keep the subject within ${SUBJECT_MAX_LENGTH} characters.` }),
      ),
    description: z
      .string()
      .overwrite(normalizeText)
      .trim()
      .max(DESCRIPTION_MAX_LENGTH, {
        error: `Keep the description within ${DESCRIPTION_MAX_LENGTH} characters.`,
      })
      .default(''),
    categoryId: z.number().int().positive().nullable().default(null),
    /** Null: the category's desk. */
    deskKey: z.string().min(1).nullable().default(null),
    priority: z.enum(PRIORITIES).default(DEFAULT_PRIORITY),
    /** A Slack member; null for an external requester, known by `requesterEmail` only. */
    requesterId: slackUser.nullable().default(null),
    requesterEmail: mailAddress.nullable().default(null),
    requesterName: z
      .string()
      .overwrite(normalizeText)
      .transform((name) => name.replace(/\s+/g, ' ').trim().slice(0, 200) || null)
      .nullable()
      .default(null),
    /** What SPF/DKIM/DMARC said of a mail's sender (MAIL_VERIFY_SENDER), when checked. */
    senderCheck: z.enum(SENDER_CHECKS).nullable().default(null),
    /** Who made it: a Slack member, or the sender's address for a ticket that came by mail. */
    createdBy: z.string().min(1).max(254),
    source: z.enum(TICKET_SOURCES),
    sourceMessage: z
      .object({
        channelId: z.string().min(1),
        ts: z.string().min(1),
        /** The thread the message is in, if any: the reply linking the ticket goes there. */
        threadTs: z.string().min(1).nullable().default(null),
        permalink: z.string().url().nullable(),
      })
      .nullable()
      .default(null),
    /** The same key twice (a modal submitted twice) gives the first ticket back. */
    idempotencyKey: z.string().min(1).max(255).nullable().default(null),
    attachments: z.array(attachmentInput).max(MAX_ATTACHMENTS).default([]),
  })
  .refine((ticket) => ticket.requesterId !== null || ticket.requesterEmail !== null, {
    path: ['requesterId'],
    error: 'Choose a person in your Slack workspace.',
  });

export type NewTicket = z.input<typeof newTicketSchema>;

export type CreateTicketResult =
  | { created: true; ticket: TicketRow }
  /** Nothing new: this submission, or this Slack message, already made `ticket`. */
  | { created: false; ticket: TicketRow; reason: 'same_submission' | 'same_message' };

/**
 * Creates a ticket in one transaction: its folio from the prefix's counter row, its automatic
 * assignee, the ticket and its files, the audit event, and the outbox rows for the card in the desk
 * channel and the confirmation to the requester. Slack hears of it after commit.
 */
export async function createTicket(
  services: Services,
  input: NewTicket,
  /**
   * What the channel writes with the ticket, in its transaction (the mail it came from, its files):
   * if that fails, there is no ticket either. Returns more messages to enqueue.
   */
  alsoWrite?: (tx: Tx, ticket: TicketRow, now: Date) => Promise<OutboxMessage[]>,
): Promise<CreateTicketResult> {
  const parsed = newTicketSchema.safeParse(input);
  if (!parsed.success) throw invalidTicket(parsed.error);
  const newTicket = parsed.data;
  try {
    // A second submission of the same modal, or a second ticket from the same message, is caught
    // by the unique keys at the insert below: its transaction rolls back (its folio number with it).
    return await transaction(services.db, async (tx, afterCommit) => {
      const category =
        newTicket.categoryId === null
          ? undefined
          : await services.directory.category(tx, newTicket.categoryId);
      if (newTicket.categoryId !== null && (!category || category.archived)) {
        throw FolioError.field('category', 'That category no longer exists: choose another.');
      }
      const deskKey = newTicket.deskKey ?? category?.desk;
      if (!deskKey) throw FolioError.field('desk', 'Choose a category or a desk.');
      const desk = await services.directory.desk(tx, deskKey);
      if (!desk || desk.archived) {
        throw FolioError.field('desk', 'That desk no longer exists: choose another.');
      }

      // Automatic assignment by the desk's strategy reads and moves its cursor under the desk row's
      // lock, so concurrent tickets of one desk take turns.
      const byStrategy = !category?.owner && desk.assignment !== 'none' && desk.members.length > 0;
      const [cursor] = byStrategy
        ? await tx
            .select({ last: desks.lastAssigneeId })
            .from(desks)
            .where(eq(desks.key, desk.key))
            .for('update')
        : [];
      const decision = chooseAssignee({
        categoryOwner: category?.owner ?? null,
        strategy: desk.assignment,
        members: desk.members,
        lastAssigned: cursor?.last ?? null,
        openCounts:
          desk.assignment === 'fewest_open' && byStrategy
            ? await openCounts(tx, desk.key, desk.members)
            : new Map(),
      });
      if (decision.rule === 'round_robin') {
        await tx.update(desks).set({ lastAssigneeId: decision.assignee }).where(eq(desks.key, desk.key));
      }

      const number = await nextFolioNumber(tx, desk.folioPrefix);
      const now = services.clock.now();
      const [ticket] = await tx
        .insert(tickets)
        .values({
          folio: formatFolio(desk.folioPrefix, number),
          subject: newTicket.subject,
          description: newTicket.description,
          deskKey: desk.key,
          categoryId: category?.id ?? null,
          priority: newTicket.priority,
          status: 'open',
          requesterId: newTicket.requesterId,
          requesterEmail: newTicket.requesterEmail,
          requesterName: newTicket.requesterName,
          senderCheck: newTicket.senderCheck,
          assigneeId: decision.assignee,
          createdBy: newTicket.createdBy,
          source: newTicket.source,
          sourceChannelId: newTicket.sourceMessage?.channelId ?? null,
          sourceMessageTs: newTicket.sourceMessage?.ts ?? null,
          sourcePermalink: newTicket.sourceMessage?.permalink ?? null,
          idempotencyKey: newTicket.idempotencyKey,
          lastActivityAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!ticket) throw new Error('insert into tickets returned no row');

      const messages: OutboxMessage[] = toRequester(ticket, [
        { kind: 'requester.notify', ticketId: ticket.id, template: 'created' },
      ]);
      if (desk.channel) messages.unshift({ kind: 'card.post', ticketId: ticket.id });
      else {
        services.log.warn('Desk has no channel: the ticket waits in its queue without a card', {
          desk: desk.key,
          folio: ticket.folio,
        });
      }
      // No Home tab is re-published for a new ticket: its card and the requester's DM announce it,
      // and a Home shows it whenever it is next opened. A ticket costs three Web API calls: the
      // modal, the card and the DM.
      if (newTicket.sourceMessage) {
        messages.push({
          kind: 'source.reply',
          ticketId: ticket.id,
          threadTs: newTicket.sourceMessage.threadTs ?? newTicket.sourceMessage.ts,
        });
      }
      // The rest of the ticket's rows are sent together: on Postgres the driver pipelines them on the
      // transaction's connection (one round trip instead of one each), which matters because every creation of
      // the prefix waits on the counter row locked above until this transaction commits (measured by
      // `npm run bench`). If one fails, the others fail with it and the transaction rolls back.
      if (alsoWrite) messages.push(...(await alsoWrite(tx, ticket, now)));
      await Promise.all([
        startClocks(tx, ticket, desk, now),
        newTicket.attachments.length > 0
          ? tx.insert(attachments).values(
              newTicket.attachments.map((attachment) => ({
                ...attachment,
                ticketId: ticket.id,
                createdAt: now,
              })),
            )
          : undefined,
        recordEvent(tx, {
          ticketId: ticket.id,
          actorId: newTicket.createdBy,
          type: 'ticket.created',
          at: now,
          data: {
            folio: ticket.folio,
            subject: ticket.subject,
            desk: desk.key,
            category: category?.name ?? null,
            priority: ticket.priority,
            requester: ticket.requesterId ?? ticket.requesterEmail,
            source: ticket.source,
            assignee: decision.assignee,
            assignedBy: decision.rule,
          },
        }),
        enqueue(tx, afterCommit, services.outbox, messages),
      ]);
      return { created: true as const, ticket };
    });
  } catch (error) {
    // The submission, or the message, already made a ticket: this transaction rolled back (its folio
    // number with it) and the first ticket is the answer.
    const constraint = violatedUniqueConstraint(error);
    if (constraint === 'tickets_idempotency_key_unique' || constraint === 'tickets_source_message') {
      const existing = await findExisting(services.db, newTicket);
      if (existing) return existing;
    }
    throw error;
  }
}

type Parsed = z.output<typeof newTicketSchema>;

/** Form fields by the name people see: `categoryId` is the "category" field. */
const FIELD_NAMES: Record<string, string> = {
  categoryId: 'category',
  deskKey: 'desk',
  requesterId: 'requester',
};

/** The field errors `createTicket` would refuse `input` with, without touching the database. */
export function checkNewTicket(input: NewTicket): Readonly<Record<string, string>> {
  const parsed = newTicketSchema.safeParse(input);
  return parsed.success ? {} : invalidTicket(parsed.error).fields;
}

function invalidTicket(error: z.ZodError): FolioError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'ticket');
    const field = FIELD_NAMES[key] ?? key;
    fields[field] ??= issue.message;
  }
  const first = Object.values(fields)[0] ?? 'The ticket is not valid.';
  return new FolioError('invalid_input', first, fields);
}

async function findExisting(tx: Queryable, newTicket: Parsed): Promise<CreateTicketResult | undefined> {
  if (newTicket.idempotencyKey) {
    const [row] = await tx.select().from(tickets).where(eq(tickets.idempotencyKey, newTicket.idempotencyKey));
    if (row) return { created: false, ticket: row, reason: 'same_submission' };
  }
  if (newTicket.sourceMessage) {
    const row = await ticketFromMessage(tx, newTicket.sourceMessage.channelId, newTicket.sourceMessage.ts);
    if (row) return { created: false, ticket: row, reason: 'same_message' };
  }
  return undefined;
}

/** The next number of `prefix`: the counter row is locked until commit, so concurrent creators queue. */
async function nextFolioNumber(tx: Tx, prefix: string): Promise<number> {
  const [row] = await tx
    .insert(folioCounters)
    .values({ prefix, lastNumber: 1 })
    .onConflictDoUpdate({
      target: folioCounters.prefix,
      set: { lastNumber: sql`${folioCounters.lastNumber} + 1` },
    })
    .returning({ n: folioCounters.lastNumber });
  if (!row) throw new Error('folio counter returned no row');
  return row.n;
}

async function openCounts(tx: Tx, deskKey: string, members: readonly string[]): Promise<Map<string, number>> {
  if (members.length === 0) return new Map();
  const rows = await tx
    .select({ assignee: tickets.assigneeId, n: sql<number>`count(*)::int` })
    .from(tickets)
    .where(
      and(
        eq(tickets.deskKey, deskKey),
        inArray(tickets.status, [...ACTIVE_STATUSES]),
        inArray(tickets.assigneeId, [...members]),
      ),
    )
    .groupBy(tickets.assigneeId);
  return new Map(rows.flatMap((row) => (row.assignee ? [[row.assignee, row.n] as const] : [])));
}
