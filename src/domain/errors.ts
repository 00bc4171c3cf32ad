/**
 * The one user-facing error type. `code` is stable (tests and logs key on it); `message` is what a
 * person reads, in the modal, in an ephemeral message or in an HTTP answer. Anything else thrown is a
 * bug or an outage and goes to the app's error handler and the log.
 */
export type FolioErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'forbidden'
  | 'illegal_transition'
  | 'stale'
  | 'duplicate'
  | 'not_configured'
  /** The database refused the data itself (see db/tx.ts): sending the same again cannot succeed. */
  | 'unstorable';

export class FolioError extends Error {
  override readonly name = 'FolioError';
  constructor(
    readonly code: FolioErrorCode,
    message: string,
    /** For invalid input: the message for each bad field, so a modal can show it beside the field. */
    readonly fields: Readonly<Record<string, string>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** An invalid-input error for one field. */
  static field(field: string, message: string): FolioError {
    return new FolioError('invalid_input', message, { [field]: message });
  }
}

export const isFolioError = (error: unknown): error is FolioError => error instanceof FolioError;

/**
 * The operator's configuration (the environment, the desks file, the jobs' schedules) cannot be
 * used: the message names every bad entry and says what to set. Raised at start only; main.ts prints
 * it and exits.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
