import { z } from 'zod';
import type { FileRef } from '../../domain/files.js';

/** A file object as Slack sends it on a message or in a file_input's state: only what Folio keeps. */
const slackFile = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  title: z.string().optional(),
  mimetype: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  permalink: z.string().optional(),
});

const isWebAddress = (text: string | undefined): text is string => {
  if (!text) return false;
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};

/** Reads Slack's file objects; entries that are not file objects are counted, not kept. */
export function readSlackFiles(raw: unknown): { files: FileRef[]; unreadable: number } {
  const files: FileRef[] = [];
  let unreadable = 0;
  for (const entry of Array.isArray(raw) ? raw : []) {
    const file = slackFile.safeParse(entry);
    if (!file.success) {
      unreadable++;
      continue;
    }
    files.push({
      slackFileId: file.data.id,
      name: file.data.name || file.data.title || file.data.id,
      mimetype: file.data.mimetype ?? null,
      size: file.data.size ?? null,
      permalink: isWebAddress(file.data.permalink) ? file.data.permalink : null,
    });
  }
  return { files, unreadable };
}
