import { describe, expect, it } from 'vitest';
import { type Deliverer, deliverersByKind } from '../../../src/outbox/deliverer.js';
import {
  deliveryPolicy,
  OUTBOX_KINDS,
  type OutboxKind,
  type OutboxMessage,
} from '../../../src/outbox/messages.js';

const deliverer = (kinds: readonly OutboxKind[]): Deliverer => ({
  kinds,
  deliver: async () => ({}),
  classify: () => undefined,
});

describe('routing outbox kinds to deliverers', () => {
  it('gives each kind the one deliverer that names it', () => {
    const cards = deliverer(['card.post', 'card.update']);
    const rest = deliverer(OUTBOX_KINDS.filter((kind) => !kind.startsWith('card.')));
    const byKind = deliverersByKind([cards, rest], OUTBOX_KINDS);
    expect(byKind.get('card.update')).toBe(cards);
    expect(byKind.get('sla.digest')).toBe(rest);
  });

  it('refuses a kind with two deliverers', () => {
    expect(() =>
      deliverersByKind([deliverer(OUTBOX_KINDS), deliverer(['home.publish'])], OUTBOX_KINDS),
    ).toThrow('Outbox kind home.publish has two deliverers');
  });

  it('refuses kinds that no deliverer delivers, naming them', () => {
    expect(() =>
      deliverersByKind(
        [deliverer(OUTBOX_KINDS.filter((kind) => !kind.startsWith('comment.')))],
        OUTBOX_KINDS,
      ),
    ).toThrow('No deliverer for outbox kinds: comment.mirror, comment.edit, comment.delete');
  });
});

describe('delivery policies', () => {
  const oneOfEach: OutboxMessage[] = [
    { kind: 'card.post', ticketId: 1 },
    { kind: 'card.update', ticketId: 1 },
    { kind: 'source.reply', ticketId: 1, threadTs: '1700000000.000100' },
    { kind: 'requester.notify', ticketId: 1, template: 'created' },
    { kind: 'requester.reply', ticketId: 1, commentId: 2 },
    { kind: 'comment.mirror', ticketId: 1, commentId: 2 },
    { kind: 'comment.edit', ticketId: 1, commentId: 2 },
    { kind: 'comment.delete', ticketId: 1, commentId: 2 },
    { kind: 'desk.note', ticketId: 1, text: 'Back from snooze' },
    { kind: 'message.post', channel: 'C_IT_DESK', text: 'hello' },
    { kind: 'sla.digest', recipient: 'C_IT_DESK', lines: [] },
    { kind: 'mail.notify', ticketId: 1, template: 'created' },
    { kind: 'mail.reply', ticketId: 1, commentId: 2 },
    { kind: 'file.upload', ticketId: 1, uploadId: 3 },
    { kind: 'home.publish', userId: 'U_AMY' },
  ];

  it('coalesces card updates, and nothing else', () => {
    expect(oneOfEach.map((message) => message.kind)).toEqual(OUTBOX_KINDS);
    const coalescing = oneOfEach.filter((message) => deliveryPolicy(message).coalesce);
    expect(coalescing.map((message) => message.kind)).toEqual(['card.update']);
  });

  it('keeps a digest in order with the other messages to the same channel or person', () => {
    expect(deliveryPolicy({ kind: 'sla.digest', recipient: 'U_AMY', lines: [] }).orderingKey).toBe(
      deliveryPolicy({ kind: 'message.post', channel: 'U_AMY', text: 'hello' }).orderingKey,
    );
  });
});
