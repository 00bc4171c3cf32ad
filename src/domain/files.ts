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
