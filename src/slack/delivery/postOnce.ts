import type { types } from '@slack/bolt';
import type { MessageRef } from '../../tickets/messageRefs.js';
import type { KnownBlock } from '../kit/elements.js';
import type { DeliveryContext } from './context.js';

export interface PostArgs {
  channel: string;
  text: string;
  /** Known blocks, or blocks stored by an older version (outbox/messages.ts `message.post`). */
  blocks: (KnownBlock | types.Block)[];
  thread_ts?: string;
}

const METADATA_EVENT = 'folio_outbox';

/**
 * chat.postMessage has no idempotency key, so every post carries its outbox id in message metadata.
 * When an earlier attempt may have posted (its answer was lost), look for that message first.
 */
export async function postOnce(ctx: DeliveryContext, args: PostArgs): Promise<MessageRef> {
  if (ctx.delivery.mayHavePosted) {
    const found = await findPosted(ctx, args);
    if (found) {
      ctx.log.info('Outbox message was already posted by an earlier attempt', {
        outboxId: ctx.delivery.id,
        ...found,
      });
      return found;
    }
  }
  const res = await ctx.slack.chat.postMessage({
    ...args,
    unfurl_links: false,
    unfurl_media: false,
    metadata: { event_type: METADATA_EVENT, event_payload: { outbox_id: ctx.delivery.id } },
  });
  if (!res.channel || !res.ts) throw new Error('chat.postMessage answered without channel or ts');
  return { channel: res.channel, ts: res.ts };
}

/** The message this delivery posted in an earlier attempt, found by its metadata. */
export async function findPosted(ctx: DeliveryContext, args: PostArgs): Promise<MessageRef | undefined> {
  let channel = args.channel;
  if (/^[UW]/.test(channel)) {
    const opened = await ctx.slack.conversations.open({ users: channel });
    if (!opened.channel?.id) return undefined;
    channel = opened.channel.id;
  }
  // A little before the row was written, in case clocks differ.
  const oldest = String(Math.floor(ctx.delivery.createdAt.getTime() / 1000) - 60);
  const res = args.thread_ts
    ? await ctx.slack.conversations.replies({
        channel,
        ts: args.thread_ts,
        oldest,
        include_all_metadata: true,
        limit: 200,
      })
    : await ctx.slack.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 });
  const match = res.messages?.find((message) => {
    const payload: Record<string, unknown> = message.metadata?.event_payload ?? {};
    return message.metadata?.event_type === METADATA_EVENT && Number(payload.outbox_id) === ctx.delivery.id;
  });
  return match?.ts ? { channel, ts: match.ts } : undefined;
}
