import type { WebClient } from '@slack/web-api';
import type { MemberLookup } from '../../domain/people.js';
import { platformErrorCode } from './webErrors.js';

/**
 * Whether a mail's sender is a workspace member, by Slack's `users.lookupByEmail` (Tier 3, scope
 * `users:read.email`). Answers are kept for a while, "no member" as well as a member: a busy sender
 * (a monitoring system, a colleague writing ten mails) costs one call per TTL, not one per mail, and
 * lookups of one address at the same time share one call.
 */

/** How long an answer is trusted: a new hire's first mails after their account opens wait at most this. */
export const MEMBER_CACHE_TTL_MS = 10 * 60 * 1000;
/** How many addresses are remembered; the least recently used is forgotten first. */
export const MEMBER_CACHE_MAX_ENTRIES = 5000;

export interface MemberLookupOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

interface CachedAnswer {
  userId: string | null;
  at: number;
}

export class SlackMemberLookup implements MemberLookup {
  readonly #client: WebClient;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** In the order of last use: a Map iterates in insertion order, and a hit is re-inserted. */
  readonly #answers = new Map<string, CachedAnswer>();
  readonly #inFlight = new Map<string, Promise<string | null>>();

  constructor(client: WebClient, options: MemberLookupOptions = {}) {
    this.#client = client;
    this.#ttlMs = options.ttlMs ?? MEMBER_CACHE_TTL_MS;
    this.#maxEntries = options.maxEntries ?? MEMBER_CACHE_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The member's user id, or null when no active person has this address (unknown to Slack, a
   * deactivated account, a bot). Any other failure (rate limit, network, a missing scope) is thrown
   * and not remembered: the caller retries the mail later rather than treat a member as a stranger.
   */
  byEmail(address: string): Promise<string | null> {
    const key = address.trim().toLowerCase();
    const cached = this.#answers.get(key);
    if (cached && this.#now() - cached.at < this.#ttlMs) {
      this.#answers.delete(key);
      this.#answers.set(key, cached);
      return Promise.resolve(cached.userId);
    }
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const lookup = this.#lookUp(key).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, lookup);
    return lookup;
  }

  async #lookUp(key: string): Promise<string | null> {
    let userId: string | null;
    try {
      const answer = await this.#client.users.lookupByEmail({ email: key });
      const user = answer.user;
      userId = user?.id && !user.deleted && !user.is_bot ? user.id : null;
    } catch (error) {
      if (platformErrorCode(error) !== 'users_not_found') throw error;
      userId = null;
    }
    this.#remember(key, userId);
    return userId;
  }

  #remember(key: string, userId: string | null): void {
    this.#answers.delete(key);
    this.#answers.set(key, { userId, at: this.#now() });
    while (this.#answers.size > this.#maxEntries) {
      const oldest = this.#answers.keys().next();
      if (oldest.done) break;
      this.#answers.delete(oldest.value);
    }
  }
}
