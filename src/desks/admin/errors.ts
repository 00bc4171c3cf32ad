import { FolioError } from '../../domain/errors.js';

/** The refusals of the administration use cases, worded for the person who tried. */

export const STALE_MESSAGE =
  'Someone changed this while your form was open: close it and open it again to see the changes.';

export const notFound = (what: 'desk' | 'category'): FolioError =>
  new FolioError('not_found', `This ${what} no longer exists.`);

export const forbidden = (message: string): FolioError => new FolioError('forbidden', message);

export const stale = (): FolioError => new FolioError('stale', STALE_MESSAGE);

/** An invalid-input error carrying every field's message; the first one is the summary. */
export function invalid(fields: Record<string, string>): FolioError {
  return new FolioError('invalid_input', Object.values(fields)[0] ?? 'Check the form.', fields);
}

/** A mailbox another desk holds (its name when known: a concurrent edit only tells the index's name). */
export const mailboxTaken = (address: string, deskName?: string): FolioError =>
  FolioError.field(
    'mailbox',
    `${address} is already the mailbox of ${deskName ? `the ${deskName} desk` : 'another desk'}.`,
  );
