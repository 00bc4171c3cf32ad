import type { WebClient } from '@slack/web-api';
import type { FileContent, FileContentSource, FileRef } from '../../domain/files.js';
import { platformErrorCode } from './webErrors.js';

/**
 * A Slack file's bytes, for a channel that sends files on (the mail deliverer attaches the files of a
 * public reply): `files.info` (scope `files:read`) for its size and download address, then the
 * download itself with the bot token. A file over the caller's limit is never downloaded whole: its
 * declared size says so first, and a download that runs past the limit anyway is cut off.
 */

/** How long a download may take before it is given up (and the caller retries later). */
export const FILE_DOWNLOAD_TIMEOUT_MS = 60_000;

/** `files.info` errors that mean the file cannot be read, now or later: send no file. */
const UNAVAILABLE_ERRORS = new Set([
  'file_not_found',
  'file_deleted',
  'access_denied',
  'not_in_channel',
  'not_visible',
  'cannot_access_file',
]);

/** Download answers that mean the same. */
const UNAVAILABLE_STATUSES = new Set([401, 403, 404, 410]);

/** Hosts that serve Slack's files, besides the host of the Web API the client talks to. */
const SLACK_FILE_HOSTS = [/(^|\.)slack\.com$/, /(^|\.)slack-edge\.com$/, /(^|\.)slack-gov\.com$/];

export interface FileContentOptions {
  timeoutMs?: number;
}

export class SlackFileContent implements FileContentSource {
  readonly #client: WebClient;
  readonly #token: string;
  readonly #timeoutMs: number;

  /** `token`: the bot token, which Slack requires on `url_private_download`. */
  constructor(client: WebClient, token: string, options: FileContentOptions = {}) {
    this.#client = client;
    this.#token = token;
    this.#timeoutMs = options.timeoutMs ?? FILE_DOWNLOAD_TIMEOUT_MS;
  }

  /**
   * The file's bytes, `too_large` past `maxBytes`, or `unavailable` when Slack says it is gone or not
   * ours to read. Anything else (rate limit, network, a 5xx) is thrown, for the caller to retry.
   */
  async read(file: FileRef, maxBytes: number): Promise<FileContent> {
    let info: Awaited<ReturnType<WebClient['files']['info']>>['file'];
    try {
      info = (await this.#client.files.info({ file: file.slackFileId })).file;
    } catch (error) {
      const code = platformErrorCode(error);
      if (code && UNAVAILABLE_ERRORS.has(code)) return { kind: 'unavailable', reason: code };
      throw error;
    }
    const mimetype = info?.mimetype ?? file.mimetype;
    const size = info?.size ?? file.size;
    if (size !== null && size !== undefined && size > maxBytes) return { kind: 'too_large', size };
    const url = info?.url_private_download ?? info?.url_private;
    if (!url) return { kind: 'unavailable', reason: 'Slack gave no download address' };
    if (!this.#mayCarryToken(url)) return { kind: 'unavailable', reason: `not a Slack address: ${url}` };
    return this.#download(url, maxBytes, mimetype ?? null);
  }

  async #download(url: string, maxBytes: number, mimetype: string | null): Promise<FileContent> {
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${this.#token}` },
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (UNAVAILABLE_STATUSES.has(response.status)) {
      await response.body?.cancel();
      return { kind: 'unavailable', reason: `download answered HTTP ${response.status}` };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`Downloading a Slack file answered HTTP ${response.status}`);
    }
    // Slack answers a download it refuses (a token without files:read, a file the bot may not see)
    // with its sign-in page, not an error status.
    const type = response.headers.get('content-type') ?? '';
    if (type.startsWith('text/html') && !mimetype?.startsWith('text/html')) {
      await response.body?.cancel();
      return { kind: 'unavailable', reason: 'Slack answered with a sign-in page instead of the file' };
    }
    const chunks: Buffer[] = [];
    let received = 0;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > maxBytes) {
          await reader.cancel();
          return { kind: 'too_large', size: received };
        }
        chunks.push(Buffer.from(value));
      }
    }
    return { kind: 'content', content: Buffer.concat(chunks, received), mimetype };
  }

  /** The bot token goes to Slack only: its file hosts, or the host of the Web API the client uses. */
  #mayCarryToken(address: string): boolean {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return false;
    }
    const api = new URL(this.#client.slackApiUrl);
    if (url.origin === api.origin) return true;
    return url.protocol === 'https:' && SLACK_FILE_HOSTS.some((host) => host.test(url.hostname));
  }
}
