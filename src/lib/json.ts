import type { z } from 'zod';

/**
 * Reads what Folio put in a Slack payload (a button's value, a view's private_metadata): `text` as JSON
 * of `schema`'s shape, or undefined when it is missing, not JSON or not that shape (a stale or forged
 * payload).
 */
export function parseJsonAs<S extends z.ZodType>(
  schema: S,
  text: string | undefined,
): z.output<S> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
