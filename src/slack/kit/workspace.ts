import type { WebClient } from '@slack/web-api';
import type { FolioLogger } from '../../lib/logger.js';

/**
 * What Folio needs to know about its workspace: the bot's own ids (Bolt's authorization, and to ignore
 * its own messages) and the workspace URL (to build permalinks without a chat.getPermalink call per
 * message). Read once with auth.test, lazily; a failure is retried at the next use.
 */
export interface WorkspaceFacts {
  url: string;
  teamId: string;
  botUserId: string;
  botId: string;
}

export class WorkspaceInfo {
  #facts: Promise<WorkspaceFacts> | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly log: FolioLogger,
  ) {}

  get(): Promise<WorkspaceFacts> {
    this.#facts ??= this.client.auth.test().then(
      (answer) => {
        if (!answer.url || !answer.team_id || !answer.user_id || !answer.bot_id)
          throw new Error('auth.test answered without url, team, user or bot');
        return {
          url: answer.url.endsWith('/') ? answer.url : `${answer.url}/`,
          teamId: answer.team_id,
          botUserId: answer.user_id,
          botId: answer.bot_id,
        };
      },
      (error: unknown) => {
        this.#facts = undefined;
        throw error;
      },
    );
    return this.#facts;
  }

  /** The facts if they can be had; undefined (logged) when Slack cannot be asked right now. */
  async tryGet(): Promise<WorkspaceFacts | undefined> {
    try {
      return await this.get();
    } catch (error) {
      this.log.warn('Could not read the workspace (auth.test)', error);
      return undefined;
    }
  }
}

/**
 * Slack's permalink format: `https://acme.slack.com/archives/C123/p1700000000123456`, with
 * `thread_ts` and `cid` for a reply in a thread.
 */
export function permalink(
  workspaceUrl: string,
  channel: string,
  ts: string,
  threadTs?: string | null,
): string {
  const base = `${workspaceUrl}archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}
