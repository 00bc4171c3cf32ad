import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import type { FolioLogger } from '../lib/logger.js';
import { defaultWorkerId } from '../lib/workerId.js';
import {
  type Deliverer,
  type DeliveryResult,
  deliverersByKind,
  PermanentDeliveryError,
} from './deliverer.js';
import {
  deliveryPolicy,
  OUTBOX_KINDS,
  type OutboxKind,
  type OutboxMessage,
  type OutboxSignal,
  outboxMessageSchema,
} from './messages.js';

/**
 * Delivers outbox rows after their transaction commits, each through the deliverer of its kind (the
 * channel that renders and sends it: src/slack/delivery/ for Slack).
 *
 * - Claims a batch with `FOR UPDATE SKIP LOCKED` and a lease: two relays (two replicas) never work on
 *   the same row at once. Of rows sharing an ordering key, only the oldest pending one is claimable.
 * - Honours `Retry-After` on a rate limit (without spending an attempt), backs off exponentially on
 *   other transient failures, gives up on permanent ones (and after MAX_ATTEMPTS) and logs it; the
 *   deliverer says which a failure is.
 * - After an attempt whose outcome is unknown (timeout, 5xx, a failure the deliverer cannot classify, a
 *   relay that died holding the row) the next attempt is told so (`mayHavePosted`): the deliverer first
 *   looks for what it may have sent, so a row is never posted twice. That look only sees what the
 *   channel has already acted on, and a request given up on may still be acted on afterwards (Slack
 *   posts a message it received late, or slowly): so the next attempt waits at least the request
 *   timeout again (and a dead relay's row its lease) before it looks.
 * - Coalesces: delivering a row of a coalescing kind (messages.ts) delivers the later pending rows of
 *   its kind and ordering key too.
 * - Time is the database's: delivery is a physical process, independent of the app's clock.
 */

export interface RelayOptions {
  db: Db;
  /** One per channel; together they deliver every kind of message, each kind exactly once. */
  deliverers: readonly Deliverer[];
  log: FolioLogger;
  workerId?: string;
  batchSize?: number;
  /** How long a claim lasts; longer than `requestTimeoutMs` (the relay refuses a shorter one). */
  leaseSeconds?: number;
  /**
   * How long a deliverer waits for the channel's answer before it gives up (the Web API timeout). After
   * an attempt whose outcome is unknown, the next one waits at least as long again before it looks for
   * what it may have sent.
   */
  requestTimeoutMs?: number;
  /** How often to look for due rows when nobody kicks (retries, other replicas' rows). */
  pollMs?: number;
  maxAttempts?: number;
  /** The first retry's delay; each further one doubles it, up to 10 minutes. */
  baseBackoffSeconds?: number;
}

export interface ClaimedRow {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  orderingKey: string | null;
  attempts: number;
  mayHavePosted: boolean;
  createdAt: Date;
}

const MAX_BACKOFF_SECONDS = 600;

export class OutboxRelay implements OutboxSignal {
  readonly #options: Required<Omit<RelayOptions, 'workerId'>> & { workerId: string };
  readonly #deliverers: ReadonlyMap<OutboxKind, Deliverer>;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #current: Promise<void> | undefined;
  #again = false;

  constructor(options: RelayOptions) {
    this.#options = {
      batchSize: 20,
      leaseSeconds: 60,
      requestTimeoutMs: 10_000,
      pollMs: 1000,
      maxAttempts: 10,
      baseBackoffSeconds: 2,
      workerId: defaultWorkerId(),
      ...options,
    };
    if (this.#options.leaseSeconds * 1000 <= this.#options.requestTimeoutMs)
      throw new Error(
        `The outbox lease (${this.#options.leaseSeconds} s) must outlast a request (${this.#options.requestTimeoutMs} ms)`,
      );
    this.#deliverers = deliverersByKind(options.deliverers, OUTBOX_KINDS);
  }

  start(): void {
    this.#running = true;
    this.#schedule(0);
  }

  /** Deliver soon: something was just committed. */
  kick(): void {
    if (!this.#running) return;
    if (this.#current) this.#again = true;
    else this.#schedule(0);
  }

  /** Stops polling and waits for the batch in hand to finish. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#current;
  }

  /**
   * Waits for the batch in hand, then delivers everything due now, batch after batch (tests and the
   * demo use it to know that Slack has been told).
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      await this.#current;
      const claimed = await this.deliverBatch();
      total += claimed;
      if (claimed === 0 && !this.#current) return total;
    }
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#current = this.#tick().finally(() => {
        this.#current = undefined;
      });
    }, ms);
  }

  async #tick(): Promise<void> {
    let full = false;
    try {
      full = (await this.deliverBatch()) === this.#options.batchSize;
    } catch (error) {
      this.#options.log.error('Outbox relay could not claim rows', error);
    }
    const soon = full || this.#again;
    this.#again = false;
    this.#schedule(soon ? 0 : this.#options.pollMs);
  }

  /** Claims one batch and delivers it; returns how many rows it claimed. */
  async deliverBatch(): Promise<number> {
    const rows = await this.#claim();
    // Rows of one batch never share an ordering key, so they can go out together.
    const outcomes = await Promise.all(rows.map((row) => this.#deliverOne(row)));
    await this.#markDelivered(outcomes.flatMap((outcome) => (outcome ? [outcome] : [])));
    return rows.length;
  }

  /** Records a batch's deliveries in one statement. */
  async #markDelivered(delivered: { id: number; result: DeliveryResult }[]): Promise<void> {
    if (delivered.length === 0) return;
    await this.#options.db.execute(sql`
      update outbox o set delivered_at = now(), locked_until = null, last_error = null, result = d.result
      from jsonb_to_recordset(${JSON.stringify(delivered)}::jsonb) as d(id bigint, result jsonb)
      where o.id = d.id and o.locked_by = ${this.#options.workerId}`);
  }

  async #claim(): Promise<ClaimedRow[]> {
    const { batchSize, leaseSeconds, workerId } = this.#options;
    const rows = await queryRows<{
      id: number | string;
      kind: string;
      payload: Record<string, unknown>;
      ordering_key: string | null;
      attempts: number;
      may_have_posted: boolean;
      created_at: Date | string;
    }>(
      this.#options.db,
      sql`
        with candidates as (
          select o.id, o.locked_until is not null as abandoned
          from outbox o
          where o.delivered_at is null and o.failed_at is null
            and o.available_at <= now()
            and (o.locked_until is null or o.locked_until < now())
            and (o.ordering_key is null or not exists (
              select 1 from outbox p
              where p.ordering_key = o.ordering_key and p.id < o.id
                and p.delivered_at is null and p.failed_at is null))
          order by o.available_at, o.id
          limit ${batchSize}
          for update of o skip locked
        )
        update outbox o
        set locked_until = now() + make_interval(secs => ${leaseSeconds}),
            locked_by = ${workerId},
            attempts = o.attempts + 1,
            may_have_posted = o.may_have_posted or c.abandoned
        from candidates c
        where o.id = c.id
        returning o.id, o.kind, o.payload, o.ordering_key, o.attempts, o.may_have_posted, o.created_at`,
    );
    return rows.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      payload: row.payload,
      orderingKey: row.ordering_key,
      attempts: row.attempts,
      mayHavePosted: row.may_have_posted,
      createdAt: new Date(row.created_at),
    }));
  }

  /** Delivers one row; what it delivered, or undefined when it failed (recorded for a retry or dropped). */
  async #deliverOne(row: ClaimedRow): Promise<{ id: number; result: DeliveryResult } | undefined> {
    const parsed = outboxMessageSchema.safeParse({ ...row.payload, kind: row.kind });
    if (!parsed.success) {
      await this.#fail(row, `unreadable payload: ${parsed.error.message}`);
      return undefined;
    }
    const message: OutboxMessage = parsed.data;
    const deliverer = this.#deliverers.get(message.kind);
    if (!deliverer) {
      await this.#fail(row, `no deliverer for ${message.kind}`);
      return undefined;
    }
    try {
      // Coalesced before rendering: whatever the later rows were about is committed, so this
      // delivery, which reads the current state, covers it.
      const coalesced = deliveryPolicy(message).coalesce ? await this.#coalesce(row) : undefined;
      const result = await deliverer.deliver({
        id: row.id,
        attempts: row.attempts,
        mayHavePosted: row.mayHavePosted,
        createdAt: row.createdAt,
        message,
      });
      return { id: row.id, result: coalesced === undefined ? result : { ...result, coalesced } };
    } catch (error) {
      await this.#handleFailure(row, error, deliverer, message);
      return undefined;
    }
  }

  /** Marks the later pending rows of the row's kind and ordering key delivered with it; how many. */
  async #coalesce(row: ClaimedRow): Promise<number> {
    if (row.orderingKey === null) return 0;
    const coalesced = await this.#options.db
      .update(outbox)
      .set({ deliveredAt: sql`now()`, result: { coalescedInto: row.id } })
      .where(
        and(
          eq(outbox.orderingKey, row.orderingKey),
          eq(outbox.kind, row.kind),
          gt(outbox.id, row.id),
          isNull(outbox.deliveredAt),
          isNull(outbox.failedAt),
        ),
      )
      .returning({ id: outbox.id });
    return coalesced.length;
  }

  async #handleFailure(
    row: ClaimedRow,
    error: unknown,
    deliverer: Deliverer,
    message: OutboxMessage,
  ): Promise<void> {
    const { log, maxAttempts } = this.#options;
    if (error instanceof PermanentDeliveryError) {
      await this.#fail(row, error.message);
      return;
    }
    const failure = deliverer.classify(error);
    if (failure?.kind === 'permanent') {
      await this.#fail(row, failure.detail);
      return;
    }
    if (failure?.kind === 'rate_limited') {
      log.warn('An outbox delivery was rate limited; retrying after Retry-After', {
        outboxId: row.id,
        kind: row.kind,
        retryAfter: failure.retryAfterSeconds,
      });
      // Being rate limited is not the message's fault: it does not count as an attempt.
      await this.#retry(row, failure.retryAfterSeconds, failure.detail, { uncertain: false, refund: true });
      return;
    }
    const detail = failure?.detail ?? (error instanceof Error ? error.message : String(error));
    if (row.attempts >= maxAttempts) {
      await this.#fail(row, `gave up after ${row.attempts} attempts: ${detail}`);
      await deliverer
        .gaveUp?.(
          {
            id: row.id,
            attempts: row.attempts,
            mayHavePosted: row.mayHavePosted,
            createdAt: row.createdAt,
            message,
          },
          detail,
        )
        .catch((gaveUpError: unknown) =>
          log.error('Could not tell anyone of an outbox message given up', gaveUpError, { outboxId: row.id }),
        );
      return;
    }
    if (!failure)
      log.error(
        'Outbox delivery failed unexpectedly; will retry',
        { outboxId: row.id, kind: row.kind },
        error,
      );
    else log.warn('Outbox delivery failed; will retry', { outboxId: row.id, kind: row.kind, detail });
    const base = this.#options.baseBackoffSeconds;
    const backoff =
      Math.min(MAX_BACKOFF_SECONDS, 2 ** (row.attempts - 1) * base) * (0.8 + Math.random() * 0.4);
    // A failure the deliverer cannot classify may have come after it sent (an answer that broke off, a
    // write after the post): unknown, like a timeout.
    const uncertain = !failure || (failure.kind === 'transient' && failure.uncertain);
    // The request given up on may still be acted on: give it as long again before looking for it.
    const wait = uncertain ? Math.max(backoff, this.#options.requestTimeoutMs / 1000) : backoff;
    await this.#retry(row, wait, detail, { uncertain, refund: false });
  }

  async #retry(
    row: ClaimedRow,
    afterSeconds: number,
    detail: string,
    attempt: { uncertain: boolean; refund: boolean },
  ) {
    await this.#options.db.execute(sql`
      update outbox set
        available_at = now() + make_interval(secs => ${afterSeconds}),
        locked_until = null,
        last_error = ${detail},
        attempts = attempts - ${attempt.refund ? 1 : 0},
        may_have_posted = may_have_posted or ${attempt.uncertain}
      where id = ${row.id} and locked_by = ${this.#options.workerId}`);
  }

  async #fail(row: ClaimedRow, detail: string): Promise<void> {
    this.#options.log.error('Outbox message dropped: it cannot be delivered', {
      outboxId: row.id,
      kind: row.kind,
      detail,
    });
    await this.#options.db.execute(sql`
      update outbox set failed_at = now(), locked_until = null, last_error = ${detail}
      where id = ${row.id} and locked_by = ${this.#options.workerId}`);
  }
}
