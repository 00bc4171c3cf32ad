import type { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { DeskDirectory } from '../desks/directory.js';
import type { FolioLogger } from '../lib/logger.js';
import { defaultWorkerId } from '../lib/workerId.js';
import { classifySlackError } from '../slack/webErrors.js';
import { type DeliveryResult, deliver, PermanentDeliveryError } from './deliveries.js';
import { type OutboxMessage, type OutboxSignal, outboxMessageSchema } from './messages.js';

/**
 * Delivers outbox rows to Slack after their transaction commits.
 *
 * - Claims a batch with `FOR UPDATE SKIP LOCKED` and a lease: two relays (two replicas) never work on
 *   the same row at once. Of rows sharing an ordering key, only the oldest pending one is claimable.
 * - Honours `Retry-After` on a 429 (without spending an attempt), backs off exponentially on other
 *   transient failures, gives up on permanent ones (and after MAX_ATTEMPTS) and logs it.
 * - After an attempt whose outcome is unknown (timeout, 5xx, a relay that died holding the row) the
 *   next attempt first looks for the message it may have posted (deliveries.ts), so a row is never
 *   posted twice.
 * - Time is the database's: delivery is a physical process, independent of the app's clock.
 */

export interface RelayOptions {
  db: Db;
  /** Desks for rendering (a private one when not given). */
  directory?: DeskDirectory;
  slack: WebClient;
  log: FolioLogger;
  workerId?: string;
  batchSize?: number;
  /** How long a claim lasts; longer than the Web API client's timeout. */
  leaseSeconds?: number;
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
  attempts: number;
  mayHavePosted: boolean;
  createdAt: Date;
}

const MAX_BACKOFF_SECONDS = 600;

export class OutboxRelay implements OutboxSignal {
  readonly #o: Required<Omit<RelayOptions, 'workerId' | 'directory'>> & {
    workerId: string;
    directory: DeskDirectory;
  };
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #current: Promise<void> | undefined;
  #again = false;

  constructor(options: RelayOptions) {
    this.#o = {
      batchSize: 20,
      leaseSeconds: 60,
      pollMs: 1000,
      maxAttempts: 10,
      baseBackoffSeconds: 2,
      directory: options.directory ?? new DeskDirectory(),
      workerId: defaultWorkerId(),
      ...options,
    };
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
      const n = await this.deliverBatch();
      total += n;
      if (n === 0 && !this.#current) return total;
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
      full = (await this.deliverBatch()) === this.#o.batchSize;
    } catch (error) {
      this.#o.log.error('Outbox relay could not claim rows', error);
    }
    const soon = full || this.#again;
    this.#again = false;
    this.#schedule(soon ? 0 : this.#o.pollMs);
  }

  /** Claims one batch and delivers it; returns how many rows it claimed. */
  async deliverBatch(): Promise<number> {
    const rows = await this.#claim();
    // Rows of one batch never share an ordering key, so they can go out together.
    const outcomes = await Promise.all(rows.map((row) => this.#deliverOne(row)));
    await this.#markDelivered(outcomes.flatMap((o) => (o ? [o] : [])));
    return rows.length;
  }

  /** Records a batch's deliveries in one statement. */
  async #markDelivered(delivered: { id: number; result: DeliveryResult }[]): Promise<void> {
    if (delivered.length === 0) return;
    await this.#o.db.execute(sql`
      update outbox o set delivered_at = now(), locked_until = null, last_error = null, result = d.result
      from jsonb_to_recordset(${JSON.stringify(delivered)}::jsonb) as d(id bigint, result jsonb)
      where o.id = d.id and o.locked_by = ${this.#o.workerId}`);
  }

  async #claim(): Promise<ClaimedRow[]> {
    const { batchSize, leaseSeconds, workerId } = this.#o;
    const rows = await queryRows<{
      id: number | string;
      kind: string;
      payload: Record<string, unknown>;
      attempts: number;
      may_have_posted: boolean;
      created_at: Date | string;
    }>(
      this.#o.db,
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
        returning o.id, o.kind, o.payload, o.attempts, o.may_have_posted, o.created_at`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      payload: r.payload,
      attempts: r.attempts,
      mayHavePosted: r.may_have_posted,
      createdAt: new Date(r.created_at),
    }));
  }

  /** Delivers one row; what it delivered, or undefined when it failed (recorded for a retry or dropped). */
  async #deliverOne(row: ClaimedRow): Promise<{ id: number; result: DeliveryResult } | undefined> {
    const { db, log, slack, directory } = this.#o;
    const parsed = outboxMessageSchema.safeParse({ ...row.payload, kind: row.kind });
    if (!parsed.success) {
      await this.#fail(row, `unreadable payload: ${parsed.error.message}`);
      return undefined;
    }
    const message: OutboxMessage = parsed.data;
    try {
      return { id: row.id, result: await deliver({ db, slack, log, row, directory }, message) };
    } catch (error) {
      await this.#handleFailure(row, error);
      return undefined;
    }
  }

  async #handleFailure(row: ClaimedRow, error: unknown): Promise<void> {
    const { log, maxAttempts } = this.#o;
    if (error instanceof PermanentDeliveryError) {
      await this.#fail(row, error.message);
      return;
    }
    const failure = classifySlackError(error);
    if (failure?.kind === 'permanent') {
      await this.#fail(row, failure.detail);
      return;
    }
    if (failure?.kind === 'rate_limited') {
      log.warn('Slack rate limited an outbox delivery; retrying after Retry-After', {
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
      return;
    }
    if (!failure)
      log.error(
        'Outbox delivery failed unexpectedly; will retry',
        { outboxId: row.id, kind: row.kind },
        error,
      );
    else log.warn('Outbox delivery failed; will retry', { outboxId: row.id, kind: row.kind, detail });
    const base = this.#o.baseBackoffSeconds;
    const backoff =
      Math.min(MAX_BACKOFF_SECONDS, 2 ** (row.attempts - 1) * base) * (0.8 + Math.random() * 0.4);
    await this.#retry(row, backoff, detail, {
      uncertain: failure?.kind === 'transient' && failure.uncertain,
      refund: false,
    });
  }

  async #retry(
    row: ClaimedRow,
    afterSeconds: number,
    detail: string,
    o: { uncertain: boolean; refund: boolean },
  ) {
    await this.#o.db.execute(sql`
      update outbox set
        available_at = now() + make_interval(secs => ${afterSeconds}),
        locked_until = null,
        last_error = ${detail},
        attempts = attempts - ${o.refund ? 1 : 0},
        may_have_posted = may_have_posted or ${o.uncertain}
      where id = ${row.id} and locked_by = ${this.#o.workerId}`);
  }

  async #fail(row: ClaimedRow, detail: string): Promise<void> {
    this.#o.log.error('Outbox message dropped: it cannot be delivered', {
      outboxId: row.id,
      kind: row.kind,
      detail,
    });
    await this.#o.db.execute(sql`
      update outbox set failed_at = now(), locked_until = null, last_error = ${detail}
      where id = ${row.id} and locked_by = ${this.#o.workerId}`);
  }
}
