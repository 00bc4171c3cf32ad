/**
 * What Folio keeps of what people write. Postgres cannot hold a NUL byte (U+0000) in text, nor a lone
 * surrogate (half of a UTF-16 pair, which no encoding can write) in JSON, so either would make the
 * write fail however often it is sent again. Every use case passes person-written text through here
 * before storing or searching it, whatever channel it came from: NUL bytes are dropped, and lone
 * surrogates become U+FFFD, the replacement character. Everything else is kept as written.
 */
export function normalizeText(text: string): string {
  return text.replaceAll('\u0000', '').toWellFormed();
}
