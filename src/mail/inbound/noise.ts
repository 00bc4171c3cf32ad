import type { AutomaticKind, BounceReport } from './types.js';

/**
 * Mail nobody should answer (RFC 3834 and the conventions mail systems follow in its place), and what
 * a delivery status notification (RFC 3464) says about the mail that bounced. Pure functions of the
 * header fields and parts mailparser gave: tested without parsing.
 */

/** A message's top-level header fields: lower-case name → values in order, unfolded, undecoded. */
export type HeaderFields = ReadonlyMap<string, readonly string[]>;

/** The Content-Type of a message: lower-case type and its parameters (mailparser's structured value). */
export interface ContentType {
  value: string;
  params: Readonly<Record<string, string>>;
}

/** The header fields of `lines` (mailparser's `headerLines`: `{ key, line: 'Name: value' }`). */
export function headerFields(lines: ReadonlyArray<{ key: string; line: string }>): HeaderFields {
  const fields = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    if (!key || colon < 0) continue;
    const value = unfold(line.slice(colon + 1));
    const name = key.toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  return fields;
}

const unfold = (value: string): string => value.replace(/\r?\n[ \t]+/g, ' ').trim();

/** The first token of a header value, lower case, without its comment or parameters ("auto-replied; …"). */
const token = (value: string): string =>
  value
    .replace(/\([^)]*\)/g, '')
    .split(';')[0]
    ?.trim()
    .toLowerCase() ?? '';

const BULK_PRECEDENCE = new Set(['bulk', 'list', 'junk']);
/** Values of Microsoft's X-Auto-Response-Suppress that a sender of automatic mail sets. */
const SUPPRESSED_RESPONSES = new Set(['all', 'oof', 'autoreply']);
/** Local parts of the addresses delivery reports come from. */
const BOUNCE_SENDERS = new Set(['mailer-daemon', 'postmaster']);

/**
 * Why a mail must neither open a ticket nor get an answer, or null for a person's mail:
 * - `bounce`: a delivery report (multipart/report; report-type=delivery-status), or a mail from a
 *   mailer-daemon or postmaster address;
 * - `auto_reply`: `Auto-Submitted` other than `no`, `Precedence: auto_reply`, `X-Autoreply`,
 *   `X-Autorespond`, `X-Auto-Response-Suppress` with All, OOF or AutoReply, and any other
 *   multipart/report (read receipts, feedback reports): a machine's answer to a mail;
 * - `bulk`: `Precedence: bulk|list|junk`, `List-Id`, `List-Unsubscribe`.
 * Checked in that order: a bounce is a bounce even when it is also marked auto-submitted.
 */
export function automaticKind(
  headers: HeaderFields,
  from: string | null,
  contentType: ContentType,
): AutomaticKind | null {
  const values = (name: string) => headers.get(name) ?? [];
  const localPart = from?.split('@')[0]?.toLowerCase() ?? '';
  const isReport = contentType.value.toLowerCase() === 'multipart/report';
  const reportType = (contentType.params['report-type'] ?? '').toLowerCase();

  if ((isReport && reportType === 'delivery-status') || BOUNCE_SENDERS.has(localPart)) return 'bounce';

  const precedence = values('precedence').map(token);
  const autoSubmitted = values('auto-submitted').some((value) => token(value) !== 'no');
  const suppressed = values('x-auto-response-suppress').some((value) =>
    value.split(',').some((part) => SUPPRESSED_RESPONSES.has(part.trim().toLowerCase())),
  );
  if (
    autoSubmitted ||
    precedence.includes('auto_reply') ||
    headers.has('x-autoreply') ||
    headers.has('x-autorespond') ||
    suppressed ||
    isReport
  )
    return 'auto_reply';

  if (
    precedence.some((value) => BULK_PRECEDENCE.has(value)) ||
    headers.has('list-id') ||
    headers.has('list-unsubscribe')
  )
    return 'bulk';
  return null;
}

/** What a delivery report is made of, as mailparser gives it. */
export interface BounceParts {
  headers: HeaderFields;
  /** The report's human-readable text. */
  text: string;
  /** Its parts kept as attachments: message/delivery-status, text/rfc822-headers, message/rfc822… */
  parts: ReadonlyArray<{ contentType: string; content: Buffer }>;
}

/** The part types of a report that carry the returned mail's header (RFC 3462, RFC 6522). */
const RETURNED_HEADER_TYPES = new Set(['text/rfc822-headers', 'message/rfc822', 'message/global']);

/** Message-IDs in a header value: each `<…>`, or the value itself when it has no brackets. */
export function messageIds(value: string | readonly string[] | undefined | null): string[] {
  const values = value === undefined || value === null ? [] : typeof value === 'string' ? [value] : value;
  const ids = values.flatMap((one) => {
    const bracketed = [...one.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1] ?? '');
    return bracketed.length > 0 ? bracketed : one.split(/[\s,]+/);
  });
  return [...new Set(ids.map((id) => id.trim()).filter((id) => id.length > 0))];
}

/**
 * The mail that bounced and why, from a delivery report: the Message-IDs of the returned mail (its
 * header in a text/rfc822-headers or message/rfc822 part, an X-Original-Message-ID field, or a
 * "Message-ID:" line quoted in the report's text by servers that send no standard report), the
 * first recipient's Status and Diagnostic-Code from the message/delivery-status part.
 */
export function bounceReport(report: BounceParts): BounceReport {
  const ids: string[] = [];
  for (const part of report.parts) {
    if (RETURNED_HEADER_TYPES.has(part.contentType.toLowerCase())) {
      ids.push(...messageIds(headerOf(part.content).get('message-id')));
    }
  }
  ids.push(...messageIds(report.headers.get('x-original-message-id')));
  for (const match of report.text.matchAll(/^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)/gim)) {
    ids.push(...messageIds(match[1]));
  }
  const own = new Set(messageIds(report.headers.get('message-id')));

  let status: string | null = null;
  let diagnostic: string | null = null;
  const deliveryStatus = report.parts.find(
    (part) => part.contentType.toLowerCase() === 'message/delivery-status',
  );
  if (deliveryStatus) {
    // The per-message fields come first, then one group per recipient: the first recipient's are
    // the ones that say why this mail bounced (Folio's mails have one recipient).
    for (const group of fieldGroups(deliveryStatus.content.toString('utf8'))) {
      const groupStatus = group.get('status')?.[0];
      if (groupStatus === undefined) continue;
      status = groupStatus.match(/\d\.\d{1,3}\.\d{1,3}/)?.[0] ?? groupStatus;
      const code = group.get('diagnostic-code')?.[0];
      // "smtp; 550 5.1.1 <x@example.com>: Recipient address rejected": the type before ';' is noise.
      diagnostic = code === undefined ? null : code.replace(/^[^;]*;\s*/, '');
      break;
    }
  }
  return { originalMessageIds: [...new Set(ids)].filter((id) => !own.has(id)), status, diagnostic };
}

/** The header fields at the top of a returned message (or of a text/rfc822-headers part). */
function headerOf(content: Buffer): HeaderFields {
  const text = content.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  return [...fieldGroups(end < 0 ? text : text.slice(0, end))][0] ?? new Map();
}

/** Blank-line separated groups of header-like fields, as delivery-status parts are written. */
function* fieldGroups(text: string): Generator<HeaderFields> {
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const lines = block.split(/\r?\n(?![ \t])/).map((line) => {
      const colon = line.indexOf(':');
      return { key: colon > 0 ? line.slice(0, colon).trim() : '', line };
    });
    const fields = headerFields(lines);
    if (fields.size > 0) yield fields;
  }
}
