import type { OutboxKind, OutboxMessage } from './messages.js';

/**
 * The port through which the relay hands a message to a channel (Slack today; mail, webhooks next).
 * Each deliverer names the kinds it delivers; the relay routes every row to the one deliverer of its
 * kind and asks that same deliverer what a failure means for a retry.
 */
export interface Deliverer {
  readonly kinds: readonly OutboxKind[];
  /** Delivers one message; what it did, kept on the row. Throws when it could not. */
  deliver(delivery: Delivery): Promise<DeliveryResult>;
  /** What a failure thrown by `deliver` means for a retry; undefined when the deliverer cannot tell. */
  classify(error: unknown): DeliveryFailure | undefined;
  /**
   * The relay gave up on a message after its last attempt failed for a reason that was worth
   * retrying (a server down for hours): the channel may tell someone. Failures here are logged only.
   */
  gaveUp?(delivery: Delivery, detail: string): Promise<void>;
}

/** One claimed row, as a deliverer sees it. */
export interface Delivery {
  /** The outbox row's id: a channel without idempotency keys marks what it sends with it. */
  id: number;
  /** This attempt's number, from 1. */
  attempts: number;
  /**
   * An earlier attempt may have reached the channel before its answer was lost (a timeout, a 5xx, a
   * relay that died holding the row): look for what it sent before sending again.
   */
  mayHavePosted: boolean;
  createdAt: Date;
  message: OutboxMessage;
}

/** What a delivery did (where it posted, what it skipped), stored on the row as JSON. */
export type DeliveryResult = Record<string, unknown>;

/**
 * What a failed delivery means for a retry. `uncertain`: the channel may have acted before the
 * answer was lost, so the next attempt must first look for what it sent.
 */
export type DeliveryFailure =
  | { kind: 'rate_limited'; retryAfterSeconds: number; detail: string }
  | { kind: 'transient'; uncertain: boolean; detail: string }
  | { kind: 'permanent'; detail: string };

/** The message cannot be delivered, ever (its ticket is gone…): no retry. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/** Each kind's deliverer; throws unless every kind has exactly one. */
export function deliverersByKind(
  deliverers: readonly Deliverer[],
  kinds: readonly OutboxKind[],
): ReadonlyMap<OutboxKind, Deliverer> {
  const byKind = new Map<OutboxKind, Deliverer>();
  for (const deliverer of deliverers) {
    for (const kind of deliverer.kinds) {
      if (byKind.has(kind)) throw new Error(`Outbox kind ${kind} has two deliverers`);
      byKind.set(kind, deliverer);
    }
  }
  const missing = kinds.filter((kind) => !byKind.has(kind));
  if (missing.length > 0) throw new Error(`No deliverer for outbox kinds: ${missing.join(', ')}`);
  return byKind;
}
