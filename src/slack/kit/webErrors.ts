import { ErrorCode } from '@slack/web-api';

/**
 * What a failed Web API call means for a retry. `uncertain`: Slack may have acted before the answer
 * was lost (a timeout, a dropped connection, a 5xx), so a retry of a post must first look for it.
 */
export type SlackFailure =
  | { kind: 'rate_limited'; retryAfterSeconds: number; detail: string }
  | { kind: 'transient'; uncertain: boolean; detail: string }
  | { kind: 'permanent'; detail: string };

/** `ok: false` errors that say "try again later" rather than "this will never work". */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'team_added_to_org',
]);

interface SlackLikeError {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown };
  original?: unknown;
  message?: unknown;
}

export function classifySlackError(error: unknown): SlackFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const slackError = error as SlackLikeError;
  switch (slackError.code) {
    case ErrorCode.RateLimitedError:
      return {
        kind: 'rate_limited',
        retryAfterSeconds:
          typeof slackError.retryAfter === 'number' && slackError.retryAfter > 0 ? slackError.retryAfter : 1,
        detail: 'rate limited',
      };
    case ErrorCode.PlatformError: {
      const code = typeof slackError.data?.error === 'string' ? slackError.data.error : 'unknown_error';
      return TRANSIENT_PLATFORM_ERRORS.has(code)
        ? { kind: 'transient', uncertain: false, detail: code }
        : { kind: 'permanent', detail: code };
    }
    case ErrorCode.HTTPError: {
      const status = typeof slackError.statusCode === 'number' ? slackError.statusCode : 0;
      if (status >= 500 || status === 408)
        return { kind: 'transient', uncertain: true, detail: `HTTP ${status}` };
      return { kind: 'permanent', detail: `HTTP ${status}` };
    }
    case ErrorCode.RequestError: {
      const original =
        slackError.original instanceof Error ? slackError.original.message : String(slackError.message);
      return { kind: 'transient', uncertain: true, detail: `request failed: ${original}` };
    }
    default:
      // The client's timeout firing while the answer's body is read: WebClient wraps only the one that
      // fires before the answer starts. Slack has the request and may have acted on it.
      if (error.name === 'TimeoutError' || error.name === 'AbortError')
        return { kind: 'transient', uncertain: true, detail: `request failed: ${error.message}` };
      return undefined;
  }
}

/** The Slack error code of an `ok: false` answer (`channel_not_found`, …), if that is what `error` is. */
export function platformErrorCode(error: unknown): string | undefined {
  const failure = classifySlackError(error);
  return failure &&
    failure.kind !== 'rate_limited' &&
    (error as SlackLikeError).code === ErrorCode.PlatformError
    ? failure.detail
    : undefined;
}
