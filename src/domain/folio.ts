/**
 * Folios: a prefix and a zero-padded sequence number, `TKT001` … `TKT042` … `TKT1000`. The number
 * comes from a counter row updated in the creating transaction (see tickets/createTicket.ts), so folios
 * are unique, never reused and gap-free in normal operation.
 */

export const FOLIO_DIGITS = 3;
export const FOLIO_PREFIX_PATTERN = /^[A-Z]{1,10}$/;

export function formatFolio(prefix: string, folioNumber: number): string {
  if (!Number.isSafeInteger(folioNumber) || folioNumber < 1)
    throw new RangeError(`A folio number must be a positive integer, got ${folioNumber}`);
  return `${prefix}${String(folioNumber).padStart(FOLIO_DIGITS, '0')}`;
}

export interface ParsedFolio {
  prefix: string;
  number: number;
  /** The canonical spelling, as stored: `tkt42` → `TKT042`. */
  folio: string;
}

const TYPED_FOLIO = /^#?([A-Za-z]{1,10})-?(\d{1,9})$/;

/** Whether `input` has the shape of a folio (which prefixes exist is for the caller to know). */
export const looksLikeFolio = (input: string): boolean => TYPED_FOLIO.test(input.trim());

/** Reads a folio as a person types it: any case, with or without padding, `#` or a dash. */
export function parseFolio(input: string): ParsedFolio | undefined {
  const match = TYPED_FOLIO.exec(input.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const prefix = match[1].toUpperCase();
  const number = Number.parseInt(match[2], 10);
  if (number < 1) return undefined;
  return { prefix, number, folio: formatFolio(prefix, number) };
}
