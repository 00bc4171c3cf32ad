import type { Db, Tx } from './client.js';

/** Registers work to do once the transaction has committed (never if it rolls back). */
export type AfterCommit = (effect: () => void) => void;

/**
 * One use case, one transaction. Slack calls never happen inside it: the use case writes outbox rows
 * and registers an after-commit effect that wakes the relay.
 */
export async function transaction<T>(
  db: Db,
  fn: (tx: Tx, afterCommit: AfterCommit) => Promise<T>,
): Promise<T> {
  const effects: (() => void)[] = [];
  const result = await db.transaction((tx) => fn(tx, (effect) => effects.push(effect)));
  for (const effect of effects) effect();
  return result;
}

/**
 * The constraint a unique violation broke, or undefined for any other error. drizzle wraps driver
 * errors (postgres.js and PGlite name the field differently), so look through `cause` too.
 */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, constraint_name, constraint } = e as {
      code?: string;
      constraint_name?: string;
      constraint?: string;
    };
    if (code === '23505') return constraint_name ?? constraint ?? '';
  }
  return undefined;
}
