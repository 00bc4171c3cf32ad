import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import EmailReplyParser from 'email-reply-parser';
import {
  type AddressObject,
  type Attachment,
  type EmailAddress,
  type ParsedMail,
  parseAddressHeader,
  type StructuredHeader,
  simpleParser,
} from 'mailparser';
import { normalizeText } from '../../domain/text.js';
import { automaticKind, bounceReport, type ContentType, headerFields, messageIds } from './noise.js';
import { MailRefusal } from './refusal.js';
import type { InboundAttachment, InboundMail, MailAddress } from './types.js';

/**
 * A raw RFC 5322 message read into an `InboundMail` (its sender not checked: `authentication` is null,
 * see read.ts), with mailparser's `simpleParser`: the message is already whole in memory (the SMTP
 * server and the webhook hold at most their size limit of it), so the streaming MailParser would
 * save nothing.
 *
 * Malformed MIME is read as far as it goes (mailparser is lenient: a part with broken base64 gives
 * what decodes, a multipart without a boundary gives its body as text); what cannot be a mail at all
 * (no header field, too many parts, a header block too large) is refused with 554 5.6.0 and a
 * sentence saying why.
 *
 * Every text the mail brings (subject, body, names, addresses, Message-IDs, a bounce's report) comes
 * out as Folio stores text (domain/text.ts): a NUL byte, which a mail may carry decoded from
 * quoted-printable or base64, would make every write of the mail fail, and its sender try again for
 * days.
 */

/** The most MIME parts one message may have: more is a refusal, not a ticket (mailparser's own default is 1,000). */
export const MAX_MIME_PARTS = 500;
/** The most attachments one mail may bring to a ticket: more is refused (552) rather than silently cut. */
export const MAX_ATTACHMENTS = 100;
/** The largest header block of one part (mailparser's default, named here). */
export const MAX_HEADER_BYTES = 1024 * 1024;
/**
 * HTML longer than this (in characters) is not converted to text: html-to-text's time grows with it.
 * The HTML is then kept as an attachment (`message.html`) so the team can still read the mail.
 */
export const MAX_HTML_TO_TEXT_CHARS = 2_000_000;
/**
 * email-reply-parser reads at most this many characters from the top of the text. Some of its
 * patterns span lines and take time cubic in the text's length (16,000 characters of a crafted text
 * take 18 s; 4,000 take 0.2 s). An answer and the "On … wrote:" line under it fit in this; a longer
 * text with nothing to strip there is kept whole.
 */
export const MAX_REPLY_PARSE_CHARS = 4_000;
/**
 * A Message-ID longer than this is replaced by the derived one: ids are keys of a unique index, whose
 * entries Postgres limits to about 2,700 bytes, and real ones are under 100 characters.
 */
export const MAX_MESSAGE_ID_CHARS = 500;
/** The most References ids kept: the thread's first ones and its last ones (RFC 5322 §3.6.4 trims the same way). */
export const MAX_REFERENCES = 100;
/** Longest attachment file name kept (most file systems' limit). */
const MAX_FILENAME_CHARS = 255;

/** Where a mail without a Message-ID gets its stable one: RFC 2606 keeps `.invalid` from ever being real. */
const GENERATED_ID_DOMAIN = 'folio.invalid';

/**
 * Parses `raw`. `envelope.recipients` are the SMTP envelope's recipients; when empty (the inbound
 * webhook, whose provider does not always say), the recipients are taken from the message's
 * Delivered-To, X-Original-To, To and Cc fields, and processing keeps those that are desk mailboxes.
 */
export async function parseMail(raw: Buffer, envelope: { recipients: string[] }): Promise<InboundMail> {
  const parsed = await parseMime(raw);
  const headers = headerFields(parsed.headerLines);
  if (headers.size === 0) {
    throw new MailRefusal(554, 'The message has no header fields: it is not an RFC 5322 mail');
  }

  const from = firstAddress(parsed.from);
  const contentType = contentTypeOf(parsed);
  const automatic = automaticKind(headers, from?.address ?? null, contentType);

  const attachments = parsed.attachments.filter(isTicketAttachment);
  const { text, unconverted } = await textOf(raw, parsed);
  if (unconverted !== null) attachments.push(unconverted);
  if (attachments.length > MAX_ATTACHMENTS) {
    throw new MailRefusal(
      552,
      `The message has ${attachments.length} attachments; Folio takes at most ${MAX_ATTACHMENTS} per mail`,
    );
  }

  const recipients = envelope.recipients.length > 0 ? envelope.recipients : headerRecipients(headers);

  const bounce = automatic === 'bounce' ? bounceReport({ headers, text, parts: parsed.attachments }) : null;

  return {
    messageId: ownMessageId(parsed.messageId) ?? generatedMessageId(raw),
    inReplyTo: storableIds(parsed.inReplyTo).filter(fitsIndex),
    references: trimmedReferences(storableIds(parsed.references).filter(fitsIndex)),
    from,
    recipients: [...new Set(recipients.map((address) => asciiAddress(address.trim())))].filter(
      (address) => address.length > 0,
    ),
    subject: normalizeText(parsed.subject ?? '').trim(),
    text,
    reply: replyOf(text),
    attachments: attachments.map(toInboundAttachment),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    automatic,
    bounce: bounce && {
      originalMessageIds: storableIds(bounce.originalMessageIds),
      status: bounce.status === null ? null : normalizeText(bounce.status),
      diagnostic: bounce.diagnostic === null ? null : normalizeText(bounce.diagnostic),
    },
    authentication: null,
  };
}

async function parseMime(raw: Buffer): Promise<ParsedMail> {
  try {
    return await simpleParser(raw, {
      // Delivery-status parts stay parts (bounceReport reads them) instead of joining the text.
      keepDeliveryStatus: true,
      // An attached mail (a forward as attachment, the returned mail of a bounce) stays a file.
      ignoreEmbedded: true,
      // Folio keeps the text, not the HTML: no data: URLs for inline images, no text made HTML.
      skipImageLinks: true,
      skipTextToHtml: true,
      maxHtmlLengthToParse: MAX_HTML_TO_TEXT_CHARS,
      maxChildNodes: MAX_MIME_PARTS,
      maxHeadSize: MAX_HEADER_BYTES,
    });
  } catch (error) {
    throw new MailRefusal(
      554,
      `The message could not be read as MIME: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function contentTypeOf(parsed: ParsedMail): ContentType {
  // mailparser always gives Content-Type as a structured value (type and parameters).
  const value = parsed.headers.get('content-type') as StructuredHeader | undefined;
  return value?.value ? { value: value.value, params: value.params } : { value: 'text/plain', params: {} };
}

function firstAddress(header: AddressObject | undefined): MailAddress | null {
  const first = flatten(header?.value ?? []).find((entry) => entry.address);
  const address = asciiAddress(first?.address ?? '');
  if (!first || !address) return null;
  return { address, name: normalizeText(first.name).trim() || null };
}

function flatten(addresses: EmailAddress[]): EmailAddress[] {
  return addresses.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
}

/**
 * An address as Folio stores and answers it: lower case, its domain in ASCII. mailparser gives an
 * internationalized domain in Unicode (`xn--mller-kva.example` on the wire comes out
 * `müller.example`), which no ASCII-only relay can send to and which Folio's address check refuses:
 * the ASCII form (RFC 5890) is the same domain. A domain that has none is left as it is.
 */
export function asciiAddress(raw: string): string {
  const address = normalizeText(raw).toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = domainToASCII(address.slice(at + 1));
  return domain ? `${address.slice(0, at)}@${domain}` : address;
}

/** The fields that name where a message was delivered, the delivery agent's first. */
const RECIPIENT_FIELDS = ['delivered-to', 'x-original-to', 'to', 'cc'];

function headerRecipients(headers: ReturnType<typeof headerFields>): string[] {
  return RECIPIENT_FIELDS.flatMap((name) => {
    const values = headers.get(name);
    if (!values || values.length === 0) return [];
    return flatten(parseAddressHeader([...values]).value).flatMap((entry) =>
      entry.address ? [entry.address] : [],
    );
  });
}

/**
 * The message's text: the text part, or (when there is none, or it is blank) its HTML made text by
 * mailparser (html-to-text: scripts and styles dropped, entities decoded). When neither gives anything but the message has a body that is
 * no part (a multipart without its boundary), that body as text, so nothing sent is lost.
 */
async function textOf(
  raw: Buffer,
  parsed: ParsedMail,
): Promise<{ text: string; unconverted: Attachment | null }> {
  // A blank text part beside an HTML one (some clients write one): the HTML is the mail, made text the
  // way mailparser makes an HTML-only mail's.
  const blankText = (parsed.text ?? '').trim() === '';
  const converted =
    blankText && typeof parsed.html === 'string' && parsed.html.trim() !== '' && !parsed.textConversionError
      ? await parseMime(Buffer.from(`Content-Type: text/html; charset=utf-8\r\n\r\n${parsed.html}`, 'utf8'))
      : parsed;
  let text = converted.text ?? '';
  let unconverted: Attachment | null = null;
  if (converted.textConversionError && typeof parsed.html === 'string') {
    const content = Buffer.from(parsed.html, 'utf8');
    unconverted = {
      type: 'attachment',
      content,
      contentType: 'text/html',
      partId: null,
      filename: 'message.html',
      headers: new Map(),
      release: null,
      checksum: '',
      size: content.length,
    };
  }
  if (text.trim() === '' && !parsed.html && parsed.attachments.length === 0) {
    text = bodyOf(raw);
  }
  return { text: normalizeText(text).replace(/\s+$/, ''), unconverted };
}

function bodyOf(raw: Buffer): string {
  const separator = raw.indexOf('\r\n\r\n');
  const lfSeparator = raw.indexOf('\n\n');
  const [start, length] =
    separator >= 0 && (lfSeparator < 0 || separator < lfSeparator) ? [separator, 4] : [lfSeparator, 2];
  // Line ends as mailparser gives every other text: LF only.
  return start < 0
    ? ''
    : raw
        .subarray(start + length)
        .toString('utf8')
        .replace(/\r\n?/g, '\n');
}

/**
 * The answer without the quoted history and the signature (email-reply-parser), or the whole text
 * when stripping leaves nothing (a mail that is all quotes, or a text it does not understand).
 */
function replyOf(text: string): string {
  if (text.length <= MAX_REPLY_PARSE_CHARS) return visibleText(text) || text;
  const cut = text.lastIndexOf('\n', MAX_REPLY_PARSE_CHARS);
  const head = text.slice(0, cut > 0 ? cut : MAX_REPLY_PARSE_CHARS);
  const visible = visibleText(head);
  // Something was stripped within the head: the answer ends there. Otherwise keep everything.
  return visible && visible.length < head.trim().length ? visible : text;
}

function visibleText(text: string): string {
  return new EmailReplyParser().read(text).getVisibleText().trim();
}

/**
 * Parts of a bounce that are the report itself, not files someone sent: the machine-readable status
 * and the returned header (RFC 3464, RFC 6522).
 */
const REPORT_PART_TYPES = new Set(['message/delivery-status', 'text/rfc822-headers']);

function isTicketAttachment(attachment: Attachment): boolean {
  const type = attachment.contentType.toLowerCase();
  if (REPORT_PART_TYPES.has(type)) return false;
  // A text or HTML part with no name that is not marked as an attachment is another rendering of
  // the body, not a file.
  const isBodyPart = type === 'text/html' || type === 'text/plain';
  return !(isBodyPart && !attachment.filename && attachment.contentDisposition !== 'attachment');
}

function toInboundAttachment(attachment: Attachment, index: number): InboundAttachment {
  return {
    filename: safeFilename(attachment.filename) ?? `attachment-${index + 1}`,
    contentType: normalizeText(attachment.contentType).toLowerCase(),
    size: attachment.content.length,
    content: attachment.content,
  };
}

/** The file name without a path or control characters (a name is shown and uploaded, never trusted). */
function safeFilename(filename: string | undefined): string | null {
  const base =
    normalizeText(filename ?? '')
      .split(/[\\/]/)
      .pop() ?? '';
  const name = [...base]
    .filter((character) => character >= ' ' && character !== '\u007f')
    .join('')
    .trim();
  return name ? name.slice(0, MAX_FILENAME_CHARS) : null;
}

const fitsIndex = (id: string) => id.length <= MAX_MESSAGE_ID_CHARS;

/** Message-IDs as they can be stored and looked up. */
function storableIds(value: string | readonly string[] | undefined): string[] {
  return [...new Set(messageIds(value).map(normalizeText))].filter((id) => id.length > 0);
}

function ownMessageId(value: string | undefined): string | undefined {
  const id = storableIds(value)[0];
  return id !== undefined && fitsIndex(id) ? id : undefined;
}

function trimmedReferences(ids: string[]): string[] {
  if (ids.length <= MAX_REFERENCES) return ids;
  const half = MAX_REFERENCES / 2;
  return [...ids.slice(0, half), ...ids.slice(-half)];
}

function generatedMessageId(raw: Buffer): string {
  return `sha256-${createHash('sha256').update(raw).digest('hex')}@${GENERATED_ID_DOMAIN}`;
}
