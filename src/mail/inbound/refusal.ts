/**
 * A mail Folio refuses for good (or, with 451, for now), with a message its sender's server shows to
 * the sender. The SMTP server answers it with `code` (smtp-server adds the enhanced status code:
 * 550 → 5.1.1, 552 → 5.2.2, 554 → 5.6.0, 451 → 4.3.0); the inbound webhook answers a 5xx refusal 422
 * and a 451 one 503. Anything else thrown while taking a mail is a failure of Folio's: try again later.
 */
export class MailRefusal extends Error {
  constructor(
    readonly code: 550 | 552 | 554 | 451,
    message: string,
  ) {
    super(message);
    this.name = 'MailRefusal';
  }
}
