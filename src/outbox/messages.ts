import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db/client.js';
import { homeViews, outbox, SLA_KINDS } from '../db/schema/index.js';
import type { AfterCommit } from '../db/tx.js';
import { TEMPLATE_NAMES } from '../desks/model.js';

/**
 * What can be put in the outbox: messages as data, which a channel's deliverer renders when it
 * delivers them (outbox/deliverer.ts). Each kind has a payload schema (checked again when delivered,
 * since a row may outlive the code that wrote it) and a delivery policy: rows with the same ordering
 * key are delivered one after the other (a card is posted before it is updated, a DM thread keeps its
 * order); a dedupe key makes a second enqueue a no-op while the first is pending; a delay gathers
 * bursts; coalescing lets one delivery stand for the later pending rows of its kind and key.
 */
const id = z.number().int().positive();

/** One SLA reminder or breach in a digest: what happened to which ticket, and when it is or was due. */
const slaDigestLineSchema = z.object({
  folio: z.string(),
  subject: z.string(),
  deskName: z.string(),
  kind: z.enum(['reminder', 'breach']),
  clock: z.enum(SLA_KINDS),
  /** Stored as an ISO string (the payload is JSON), read back as a date. */
  dueAt: z.coerce.date().nullable(),
  assigneeId: z.string().nullable(),
  /** The reminder's threshold: a share of the target used, or minutes left. */
  threshold: z.object({ kind: z.enum(['elapsed_percent', 'minutes_before']), value: z.number() }).optional(),
});
export type SlaDigestLine = z.infer<typeof slaDigestLineSchema>;

export const outboxMessageSchema = z.discriminatedUnion('kind', [
  /** Post the ticket's card in its desk channel and record where it is. */
  z.object({ kind: z.literal('card.post'), ticketId: id }),
  /** Re-render the card in place from the ticket as it is when delivered. */
  z.object({ kind: z.literal('card.update'), ticketId: id }),
  /**
   * Under the Slack message a ticket was made from: a reply linking the ticket (public desks), or a
   * note only its creator sees (private desks).
   */
  z.object({ kind: z.literal('source.reply'), ticketId: id, threadTs: z.string() }),
  /** A message to the requester in their DM thread with the app, from one of the desk's templates. */
  z.object({ kind: z.literal('requester.notify'), ticketId: id, template: z.enum(TEMPLATE_NAMES) }),
  /** A desk member's public reply, posted in the requester's DM thread (it records where). */
  z.object({ kind: z.literal('requester.reply'), ticketId: id, commentId: id }),
  /** A copy of a public comment in the card's thread, so the desk sees the conversation. */
  z.object({ kind: z.literal('comment.mirror'), ticketId: id, commentId: id }),
  /** The requester edited a comment: update its copy in the card's thread. */
  z.object({ kind: z.literal('comment.edit'), ticketId: id, commentId: id }),
  /** The requester deleted a comment: delete its copy in the card's thread. */
  z.object({ kind: z.literal('comment.delete'), ticketId: id, commentId: id }),
  /** A notice in the card's thread (a snoozed ticket is back, an escalation…), rendered when enqueued. */
  z.object({ kind: z.literal('desk.note'), ticketId: id, text: z.string().min(1).max(3000) }),
  /** Any message to a channel or a person (alerts, answers), as plain text written when enqueued. */
  z.object({
    kind: z.literal('message.post'),
    channel: z.string().min(1),
    text: z.string().min(1).max(4000),
    /**
     * Rendered blocks, found only in rows written before SLA digests were enqueued as data
     * (`sla.digest`): still delivered as they are. Enqueue text, or a kind of its own, instead.
     */
    blocks: z
      .array(z.looseObject({ type: z.string() }))
      .max(50)
      .optional(),
    threadTs: z.string().optional(),
  }),
  /** One sweep's SLA reminders and breaches for one channel or person, as a single digest. */
  z.object({
    kind: z.literal('sla.digest'),
    recipient: z.string().min(1),
    lines: z.array(slaDigestLineSchema).min(1),
  }),
  /** One of the desk's templates by mail, to a requester who hears by mail (the mail channel). */
  z.object({ kind: z.literal('mail.notify'), ticketId: id, template: z.enum(TEMPLATE_NAMES) }),
  /** A desk member's public reply by mail, with its files, threaded on the ticket's earlier mails. */
  z.object({ kind: z.literal('mail.reply'), ticketId: id, commentId: id }),
  /** A file held in the database (file_uploads) uploaded to the card's thread, then recorded as an attachment. */
  z.object({ kind: z.literal('file.upload'), ticketId: id, uploadId: id }),
  /** Re-publish a person's App Home tab. */
  z.object({ kind: z.literal('home.publish'), userId: z.string().min(1) }),
]);

export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export type OutboxKind = OutboxMessage['kind'];

/** Every kind of message; the relay needs a deliverer for each. */
export const OUTBOX_KINDS: readonly OutboxKind[] = outboxMessageSchema.options.map(
  (option) => option.shape.kind.value,
);

export interface DeliveryPolicy {
  orderingKey: string | null;
  dedupeKey?: string;
  delaySeconds?: number;
  /**
   * Delivering the row delivers the later ones of the same kind and ordering key still pending too
   * (they are marked delivered, `{ coalescedInto: id }`): a message rendered from the current state,
   * such as a card, costs one call for a burst of changes.
   */
  coalesce?: boolean;
}

/** Home tabs are re-published at most every few seconds per person, however busy the desk. */
export const HOME_PUBLISH_DELAY_SECONDS = 3;

export function deliveryPolicy(message: OutboxMessage): DeliveryPolicy {
  switch (message.kind) {
    case 'card.update':
      return { orderingKey: `card:${message.ticketId}`, coalesce: true };
    case 'card.post':
    case 'desk.note':
    case 'file.upload':
    case 'comment.mirror':
    case 'comment.edit':
    case 'comment.delete':
      return { orderingKey: `card:${message.ticketId}` };
    case 'requester.notify':
    case 'requester.reply':
      return { orderingKey: `requester:${message.ticketId}` };
    case 'mail.notify':
    case 'mail.reply':
      return { orderingKey: `mail:${message.ticketId}` };
    case 'source.reply':
      return { orderingKey: `source:${message.ticketId}` };
    case 'message.post':
      return { orderingKey: `channel:${message.channel}` };
    case 'sla.digest':
      return { orderingKey: `channel:${message.recipient}` };
    case 'home.publish':
      return {
        orderingKey: null,
        dedupeKey: `home:${message.userId}`,
        delaySeconds: HOME_PUBLISH_DELAY_SECONDS,
      };
  }
}

async function withoutUnusedHomes(db: Queryable, messages: OutboxMessage[]): Promise<OutboxMessage[]> {
  const homeUsers = messages.flatMap((message) => (message.kind === 'home.publish' ? [message.userId] : []));
  if (homeUsers.length === 0) return messages;
  const opened = await db
    .select({ userId: homeViews.userId })
    .from(homeViews)
    .where(inArray(homeViews.userId, [...new Set(homeUsers)]));
  const users = new Set(opened.map((row) => row.userId));
  return messages.filter((message) => message.kind !== 'home.publish' || users.has(message.userId));
}

/** Something that delivers soon after commit; the relay is one. */
export interface OutboxSignal {
  kick(): void;
}

/**
 * Writes messages in the caller's transaction and wakes the relay once it commits. Home tab refreshes
 * for people who never opened their Home tab are dropped here: there is nothing of theirs to refresh.
 */
export async function enqueue(
  db: Queryable,
  afterCommit: AfterCommit,
  signal: OutboxSignal,
  all: OutboxMessage[],
): Promise<void> {
  const messages = await withoutUnusedHomes(db, all);
  if (messages.length === 0) return;
  await db
    .insert(outbox)
    .values(
      messages.map((message) => {
        const { kind, ...payload } = message;
        const policy = deliveryPolicy(message);
        return {
          kind,
          ticketId: 'ticketId' in message ? message.ticketId : null,
          payload,
          orderingKey: policy.orderingKey,
          dedupeKey: policy.dedupeKey ?? null,
          ...(policy.delaySeconds
            ? { availableAt: sql`now() + make_interval(secs => ${policy.delaySeconds})` }
            : {}),
        };
      }),
    )
    .onConflictDoNothing({
      target: outbox.dedupeKey,
      where: sql`${outbox.dedupeKey} is not null and ${outbox.deliveredAt} is null and ${outbox.failedAt} is null`,
    });
  afterCommit(() => signal.kick());
}
