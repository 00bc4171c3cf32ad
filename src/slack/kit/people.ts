import type { WebClient } from '@slack/web-api';

/**
 * People's display names, for places where Slack cannot render a mention (option text in a select is
 * plain text). Read with users.info (Tier 4) and kept for an hour; a name that cannot be read shows as
 * the user id rather than failing the modal.
 */
export const NAME_CACHE_MS = 60 * 60 * 1000;

export class People {
  readonly #names = new Map<string, { name: string; at: number }>();

  constructor(private readonly client: WebClient) {}

  async names(userIds: readonly string[]): Promise<Map<string, string>> {
    const now = Date.now();
    const out = new Map<string, string>();
    await Promise.all(
      [...new Set(userIds)].map(async (id) => {
        const cached = this.#names.get(id);
        if (cached && now - cached.at < NAME_CACHE_MS) {
          out.set(id, cached.name);
          return;
        }
        try {
          const answer = await this.client.users.info({ user: id });
          const name =
            answer.user?.profile?.display_name || answer.user?.real_name || answer.user?.name || id;
          this.#names.set(id, { name, at: now });
          out.set(id, name);
        } catch {
          out.set(id, id);
        }
      }),
    );
    return out;
  }
}
