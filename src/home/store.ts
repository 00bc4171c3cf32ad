import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db/client.js';
import { homeViews } from '../db/schema/index.js';
import { compactHomeStateSchema, DEFAULT_HOME_STATE, type HomeState, homeStateSchema } from './state.js';

/**
 * A row holds the state with its keys in full; a row written before they were named in full holds
 * the compact form (`{ s, f }`), read as well, so a Home left then keeps its sizes and desk.
 */
const storedStateSchema = z.union([z.strictObject(homeStateSchema.shape), compactHomeStateSchema]);

/** The state a `home_views` row holds; the defaults when it cannot be read. */
export function homeStateOfRow(state: unknown): HomeState {
  const parsed = storedStateSchema.safeParse(state);
  return parsed.success ? parsed.data : DEFAULT_HOME_STATE;
}

/** Remembers that a person uses their Home tab, and the state it now shows. */
export async function rememberHome(
  db: Queryable,
  userId: string,
  state: HomeState,
  now: Date,
): Promise<void> {
  await db
    .insert(homeViews)
    .values({ userId, state, openedAt: now })
    .onConflictDoUpdate({ target: homeViews.userId, set: { state, openedAt: now } });
}

/** The state a person's Home was last shown with; undefined when they never opened it. */
export async function storedHomeState(db: Queryable, userId: string): Promise<HomeState | undefined> {
  const [row] = await db
    .select({ state: homeViews.state })
    .from(homeViews)
    .where(eq(homeViews.userId, userId));
  return row ? homeStateOfRow(row.state) : undefined;
}
