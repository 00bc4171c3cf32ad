import type { FileContentSource, FileRef } from '../../domain/files.js';

/**
 * The Slack files of a public reply, as a mail carries them: attached while they fit, listed as links
 * when they do not (or cannot be read).
 */

/**
 * The largest file a mail attaches. Mail providers take 20 to 35 MB per message (Gmail 25 MB, Microsoft
 * 365 35 MB by default) and base64 makes a file a third larger on the wire: one file stays well within.
 */
export const MAIL_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The most a mail attaches in all (before base64, which adds a third: about 27 MB on the wire). Files
 * beyond it become links. The relay may deliver several mails at once (its batch), each holding its
 * files in memory while it is sent: this bounds one mail's share.
 */
export const MAIL_ATTACHMENTS_TOTAL_MAX_BYTES = 20 * 1024 * 1024;

export interface MailAttachment {
  name: string;
  content: Buffer;
  mimetype: string | null;
}

/** Why a file is a link rather than an attachment. */
export type LinkReason = 'too_large' | 'over_total' | 'unavailable';

export interface LinkedFile {
  name: string;
  /** Its Slack permalink; null when Slack gave none. */
  permalink: string | null;
  size: number | null;
  reason: LinkReason;
}

export interface MailFiles {
  attached: MailAttachment[];
  linked: LinkedFile[];
}

export const NO_FILES: MailFiles = { attached: [], linked: [] };

/**
 * Reads the files one after the other, in order, attaching each while it fits the limits; a file whose
 * size is known to be over them is not read at all.
 */
export async function filesForMail(files: readonly FileRef[], source: FileContentSource): Promise<MailFiles> {
  const attached: MailAttachment[] = [];
  const linked: LinkedFile[] = [];
  let used = 0;
  const link = (file: FileRef, reason: LinkReason, size = file.size) =>
    linked.push({ name: file.name, permalink: file.permalink, size, reason });
  for (const file of files) {
    const left = MAIL_ATTACHMENTS_TOTAL_MAX_BYTES - used;
    if (file.size !== null && file.size > MAIL_ATTACHMENT_MAX_BYTES) {
      link(file, 'too_large');
      continue;
    }
    if (file.size !== null && file.size > left) {
      link(file, 'over_total');
      continue;
    }
    const limit = Math.min(MAIL_ATTACHMENT_MAX_BYTES, left);
    const read = await source.read(file, limit);
    switch (read.kind) {
      case 'content':
        // A source that ignored the limit is held to it here.
        if (read.content.length > limit) {
          link(
            file,
            read.content.length > MAIL_ATTACHMENT_MAX_BYTES ? 'too_large' : 'over_total',
            read.content.length,
          );
          break;
        }
        attached.push({ name: file.name, content: read.content, mimetype: read.mimetype ?? file.mimetype });
        used += read.content.length;
        break;
      case 'too_large':
        link(file, read.size > MAIL_ATTACHMENT_MAX_BYTES ? 'too_large' : 'over_total', read.size);
        break;
      case 'unavailable':
        link(file, 'unavailable');
        break;
    }
  }
  return { attached, linked };
}
