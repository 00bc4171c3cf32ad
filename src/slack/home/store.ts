import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { homeViews } from '../../db/schema/index.js';
import { DEFAULT_HOME_STATE, type HomeState, homeStateSchema } from './state.js';

/** Remembers that a person uses their Home tab, and the state it now shows. */
export async function rememberHome(q: Queryable, userId: string, state: HomeState, now: Date): Promise<void> {
  await q
    .insert(homeViews)
    .values({ userId, state, openedAt: now })
    .onConflictDoUpdate({ target: homeViews.userId, set: { state, openedAt: now } });
}

/** The state a person's Home was last shown with; undefined when they never opened it. */
export async function storedHomeState(q: Queryable, userId: string): Promise<HomeState | undefined> {
  const [row] = await q
    .select({ state: homeViews.state })
    .from(homeViews)
    .where(eq(homeViews.userId, userId));
  if (!row) return undefined;
  const parsed = homeStateSchema.safeParse(row.state);
  return parsed.success ? parsed.data : DEFAULT_HOME_STATE;
}
