import { z } from 'zod';
import { TEMPLATE_NAMES } from '../config/desks.js';
import type { Queryable } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import type { AfterCommit } from '../db/tx.js';

/**
 * What can be put in the outbox. Each kind has a payload schema (checked again when delivered, since a
 * row may outlive the code that wrote it) and an ordering key: rows with the same key are delivered
 * one after the other, so a card is posted before it is updated and a DM thread keeps its order.
 */
export const outboxMessageSchema = z.discriminatedUnion('kind', [
  /** Post the ticket's card in its desk channel and record where it is. */
  z.object({ kind: z.literal('card.post'), ticketId: z.number().int() }),
  /** Re-render the card in place from the ticket as it is when delivered. */
  z.object({ kind: z.literal('card.update'), ticketId: z.number().int() }),
  /**
   * Under the Slack message a ticket was made from: a reply linking the ticket (public desks), or a
   * note only its creator sees (private desks).
   */
  z.object({ kind: z.literal('source.reply'), ticketId: z.number().int(), threadTs: z.string() }),
  /** A message to the requester in their DM with the app, from one of the desk's templates. */
  z.object({
    kind: z.literal('requester.notify'),
    ticketId: z.number().int(),
    template: z.enum(TEMPLATE_NAMES),
  }),
]);

export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export type OutboxKind = OutboxMessage['kind'];

export function orderingKeyOf(m: OutboxMessage): string {
  switch (m.kind) {
    case 'card.post':
    case 'card.update':
      return `card:${m.ticketId}`;
    case 'requester.notify':
      return `requester:${m.ticketId}`;
    case 'source.reply':
      return `source:${m.ticketId}`;
  }
}

/** Something that delivers soon after commit; the relay is one. */
export interface OutboxSignal {
  kick(): void;
}

/** Writes messages in the caller's transaction and wakes the relay once it commits. */
export async function enqueue(
  q: Queryable,
  afterCommit: AfterCommit,
  signal: OutboxSignal,
  messages: OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  await q.insert(outbox).values(
    messages.map((m) => {
      const { kind, ...payload } = m;
      return {
        kind,
        ticketId: 'ticketId' in m ? m.ticketId : null,
        payload,
        orderingKey: orderingKeyOf(m),
      };
    }),
  );
  afterCommit(() => signal.kick());
}
