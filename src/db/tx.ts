import { FolioError } from '../domain/errors.js';
import type { Db, Tx } from './client.js';

/** Registers work to do once the transaction has committed (never if it rolls back). */
export type AfterCommit = (effect: () => void) => void;

/**
 * One use case, one transaction. Slack calls never happen inside it: the use case writes outbox rows
 * and registers an after-commit effect that wakes the relay. A write the database refuses for its
 * data (see refusedData) comes out as a FolioError `unstorable`, so that every channel tells the
 * person that sending the same again will not help, instead of "try again in a moment".
 */
export async function transaction<T>(
  db: Db,
  fn: (tx: Tx, afterCommit: AfterCommit) => Promise<T>,
): Promise<T> {
  const effects: (() => void)[] = [];
  let result: T;
  try {
    result = await db.transaction((tx) => fn(tx, (effect) => effects.push(effect)));
  } catch (error) {
    if (refusedData(error)) throw new FolioError('unstorable', UNSTORABLE_MESSAGE, {}, { cause: error });
    throw error;
  }
  for (const effect of effects) effect();
  return result;
}

export const UNSTORABLE_MESSAGE =
  'Folio cannot store this as it is: the database refused part of it, so sending it again unchanged ' +
  'will not help. Change what you entered and try again.';

/** The SQLSTATE of a database error, looking through drizzle's wrapping (`cause`). */
function sqlState(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Whether the database refused a statement for the data it carried: SQLSTATE class 22 (a data
 * exception: a character or a value the column's type cannot hold) or 23514 (a check violation). The
 * same data fails again however often it is sent; a lost connection, a deadlock or a unique
 * violation are other matters.
 */
export function refusedData(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && (code.startsWith('22') || code === '23514');
}

/**
 * The constraint a unique violation broke, or undefined for any other error. drizzle wraps driver
 * errors (postgres.js and PGlite name the field differently), so look through `cause` too.
 */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const { code, constraint_name, constraint } = current as {
      code?: string;
      constraint_name?: string;
      constraint?: string;
    };
    if (code === '23505') return constraint_name ?? constraint ?? '';
  }
  return undefined;
}
