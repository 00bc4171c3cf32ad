import type { DeliveryResult } from '../../outbox/deliverer.js';
import type { OutboxMessage } from '../../outbox/messages.js';
import { section } from '../kit/elements.js';
import type { DeliveryContext } from './context.js';
import { postOnce } from './postOnce.js';
import { slaDigest } from './slaDigest.js';

/** A text message to a channel or a person (`message.post`): alerts, answers. */
export function postMessage(
  ctx: DeliveryContext,
  message: Extract<OutboxMessage, { kind: 'message.post' }>,
): Promise<DeliveryResult> {
  return postOnce(ctx, {
    channel: message.channel,
    text: message.text,
    blocks: message.blocks ?? [section(message.text)],
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
  });
}

/** One sweep's SLA reminders and breaches for one channel or person, as one digest (`sla.digest`). */
export function postSlaDigest(
  ctx: DeliveryContext,
  message: Extract<OutboxMessage, { kind: 'sla.digest' }>,
): Promise<DeliveryResult> {
  return postOnce(ctx, { channel: message.recipient, ...slaDigest(message.lines) });
}
