/**
 * A mail as the mail channel reads it, whichever way it came (the SMTP server inside the app or the
 * inbound webhook): parsed, its noise recognized, its sender checked. receive.ts turns it into a
 * ticket or a comment.
 */

export interface MailAddress {
  /** Lower case. */
  address: string;
  name: string | null;
}

export interface InboundAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
}

/** Mail nobody should answer: auto-replies, bulk and list mail, delivery reports (bounces). */
export type AutomaticKind = 'auto_reply' | 'bulk' | 'bounce';

/** A delivery status notification about one of Folio's mails. */
export interface BounceReport {
  /** The Message-IDs of the mail that bounced, without angle brackets (from the report's headers). */
  originalMessageIds: string[];
  /** The RFC 3464 status (5.1.1) when the report gives one. */
  status: string | null;
  /** What the receiving server said, when the report gives it. */
  diagnostic: string | null;
}

/** What SPF, DKIM and DMARC say about the From: address (MAIL_VERIFY_SENDER). */
export interface SenderAuthentication {
  /** True only when the From: domain is vouched for: DMARC pass (or aligned DKIM / SPF pass). */
  verified: boolean;
  /** One line for people: "dmarc=fail spf=fail dkim=none". */
  summary: string;
}

export interface InboundMail {
  /** Without angle brackets; when the mail has none, a stable one derived from its content. */
  messageId: string;
  /** Without angle brackets. */
  inReplyTo: string[];
  references: string[];
  from: MailAddress | null;
  /** The desk mailboxes it was delivered to (envelope recipients, or To/Cc for the webhook), lower case. */
  recipients: string[];
  /** Decoded; empty when the mail has none. */
  subject: string;
  /** The whole text: the text part, or the HTML part made readable text when there is none. */
  text: string;
  /** The text without quoted history and signature (email-reply-parser). */
  reply: string;
  attachments: InboundAttachment[];
  date: Date | null;
  /** Why the mail must not open a ticket nor get an answer, when it is such a mail. */
  automatic: AutomaticKind | null;
  bounce: BounceReport | null;
  /** Null when senders are not checked (MAIL_VERIFY_SENDER=false). */
  authentication: SenderAuthentication | null;
}
