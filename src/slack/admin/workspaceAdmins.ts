import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { platformErrorCode } from '../kit/webErrors.js';

/**
 * Whether a person is a workspace admin or owner, from `users.info`, remembered for a minute: the Home
 * tab and every administration form ask, and Slack allows users.info about 100 times a minute. A
 * change of role in Slack is seen within ADMIN_CACHE_MS. One cache per Web API client (the listeners'
 * and the outbox relay's).
 */
export const ADMIN_CACHE_MS = 60_000;

const userSchema = z.object({
  user: z
    .object({
      deleted: z.boolean().optional(),
      is_admin: z.boolean().optional(),
      is_owner: z.boolean().optional(),
      is_primary_owner: z.boolean().optional(),
    })
    .optional(),
});

export class WorkspaceAdmins {
  readonly #cache = new Map<string, { at: number; admin: Promise<boolean> }>();

  constructor(
    private readonly client: WebClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Rejects when Slack cannot answer; a person Slack does not know is no admin. */
  isAdmin(userId: string): Promise<boolean> {
    const hit = this.#cache.get(userId);
    if (hit && this.now() - hit.at < ADMIN_CACHE_MS) return hit.admin;
    const admin = this.#lookUp(userId);
    this.#cache.set(userId, { at: this.now(), admin });
    // A failed look-up is not remembered: the next question asks Slack again.
    admin.catch(() => this.#cache.delete(userId));
    if (this.#cache.size > 10_000) this.#cache.delete(this.#cache.keys().next().value ?? userId);
    return admin;
  }

  async #lookUp(userId: string): Promise<boolean> {
    try {
      const { user } = userSchema.parse(await this.client.users.info({ user: userId }));
      return Boolean(user && !user.deleted && (user.is_admin || user.is_owner || user.is_primary_owner));
    } catch (error) {
      if (platformErrorCode(error) === 'user_not_found') return false;
      throw error;
    }
  }
}

const perClient = new WeakMap<WebClient, WorkspaceAdmins>();

export function workspaceAdminsOf(client: WebClient): WorkspaceAdmins {
  let admins = perClient.get(client);
  if (!admins) {
    admins = new WorkspaceAdmins(client);
    perClient.set(client, admins);
  }
  return admins;
}
