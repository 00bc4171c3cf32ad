import type { AttachmentRow } from '../../db/schema/index.js';
import { context, fileLink, type KnownBlock } from '../kit/elements.js';

/** A comment's files, as links under its text. */
export function fileLinks(files: readonly AttachmentRow[]): KnownBlock[] {
  if (files.length === 0) return [];
  return [context([`:paperclip: ${files.map(fileLink).join(', ')}`])];
}
