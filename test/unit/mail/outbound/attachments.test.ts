import { describe, expect, it } from 'vitest';
import type { FileContent, FileContentSource, FileRef } from '../../../../src/domain/files.js';
import {
  filesForMail,
  MAIL_ATTACHMENT_MAX_BYTES,
  MAIL_ATTACHMENTS_TOTAL_MAX_BYTES,
} from '../../../../src/mail/outbound/attachments.js';

const MB = 1024 * 1024;

/** Files as a source holds them, by Slack id; records what it was asked to read and with what limit. */
function source(contents: Record<string, FileContent>) {
  const reads: { id: string; maxBytes: number }[] = [];
  const files: FileContentSource = {
    read: async (file, maxBytes) => {
      reads.push({ id: file.slackFileId, maxBytes });
      return contents[file.slackFileId] ?? { kind: 'unavailable', reason: 'not found' };
    },
  };
  return { files, reads };
}

const file = (id: string, size: number | null): FileRef => ({
  slackFileId: id,
  name: `${id}.bin`,
  mimetype: 'application/octet-stream',
  size,
  permalink: `https://files.slack.test/${id}`,
});

const content = (bytes: number): FileContent => ({
  kind: 'content',
  content: Buffer.alloc(bytes, 1),
  mimetype: 'application/octet-stream',
});

describe('filesForMail', () => {
  it('has the limits the mail promises: 10 MB a file, 20 MB a mail', () => {
    expect(MAIL_ATTACHMENT_MAX_BYTES).toBe(10 * MB);
    expect(MAIL_ATTACHMENTS_TOTAL_MAX_BYTES).toBe(20 * MB);
  });

  it('attaches files that fit and links the rest, without reading a file known to be too large', async () => {
    const { files, reads } = source({
      small: content(1000),
      nine: content(9 * MB),
      eight: content(8 * MB),
      gone: { kind: 'unavailable', reason: 'file_not_found' },
      unknown: { kind: 'too_large', size: 30 * MB },
    });
    const result = await filesForMail(
      [
        file('small', 1000),
        file('huge', 11 * MB),
        file('nine', 9 * MB),
        file('eight', 8 * MB),
        file('overflow', 3 * MB),
        file('gone', 100),
        file('unknown', null),
      ],
      files,
    );
    expect(result.attached.map((a) => [a.name, a.content.length])).toEqual([
      ['small.bin', 1000],
      ['nine.bin', 9 * MB],
      ['eight.bin', 8 * MB],
    ]);
    expect(result.linked.map((l) => [l.name, l.reason])).toEqual([
      ['huge.bin', 'too_large'],
      ['overflow.bin', 'over_total'],
      ['gone.bin', 'unavailable'],
      ['unknown.bin', 'too_large'],
    ]);
    expect(result.linked[0]?.permalink).toBe('https://files.slack.test/huge');
    // The huge file and the one past the total were never read; each read was held to what was left.
    expect(reads.map((r) => r.id)).toEqual(['small', 'nine', 'eight', 'gone', 'unknown']);
    const left = MAIL_ATTACHMENTS_TOTAL_MAX_BYTES - 1000 - 17 * MB;
    expect(reads.at(-1)?.maxBytes).toBe(left);
  });

  it('holds a source that ignores the limit to it', async () => {
    const { files } = source({ liar: content(11 * MB) });
    const result = await filesForMail([file('liar', null)], files);
    expect(result.attached).toEqual([]);
    expect(result.linked).toEqual([
      { name: 'liar.bin', permalink: 'https://files.slack.test/liar', size: 11 * MB, reason: 'too_large' },
    ]);
  });
});
