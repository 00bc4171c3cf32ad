import { normalizeText } from './text.js';

/**
 * A file as Folio keeps it, on a ticket or a comment: Slack's file id (the file itself stays in Slack,
 * behind Slack's own permissions), its name, type, size and permalink.
 */
export interface FileRef {
  slackFileId: string;
  name: string;
  mimetype: string | null;
  size: number | null;
  permalink: string | null;
}

/** Files with their names as Folio stores them (domain/text.ts); ids are never rewritten. */
export const normalizeFileNames = (files: readonly FileRef[]): FileRef[] =>
  files.map((file) => ({ ...file, name: normalizeText(file.name) }));

/** A file's bytes, read from where the file lives (Slack), for a channel that sends files on (mail). */
export type FileContent =
  | { kind: 'content'; content: Buffer; mimetype: string | null }
  /** Larger than the caller's limit: send a link instead. */
  | { kind: 'too_large'; size: number }
  /** Gone, or not readable with the app's rights. */
  | { kind: 'unavailable'; reason: string };

/**
 * The port through which a channel reads a file kept in another (the mail deliverer reads Slack
 * files of a public reply); the entry point hands the Slack implementation in.
 */
export interface FileContentSource {
  read(file: FileRef, maxBytes: number): Promise<FileContent>;
}
