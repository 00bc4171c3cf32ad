import { storedHomeState } from '../../home/store.js';
import type { DeliveryResult } from '../../outbox/deliverer.js';
import { workspaceAdminsOf } from '../admin/workspaceAdmins.js';
import { publishHomeView } from '../home/render.js';
import type { DeliveryContext } from './context.js';

/**
 * Publishes a person's App Home tab (outbox kind `home.publish`, enqueued by every change that
 * concerns them; the outbox keeps one pending refresh per person and delays it a few seconds, so a
 * busy desk costs each member one views.publish per few seconds at most). It keeps the list sizes
 * and desk the person chose, and skips people who never opened their tab.
 */
export async function publishHome(ctx: DeliveryContext, userId: string): Promise<DeliveryResult> {
  const state = await storedHomeState(ctx.db, userId);
  if (!state) return { skipped: 'never opened the Home tab' };
  const blocks = await publishHomeView(
    ctx.slack,
    {
      db: ctx.db,
      admins: workspaceAdminsOf(ctx.slack),
      log: ctx.log,
      // The relay has no injected clock: deliveries happen in real time.
      now: new Date(),
      ifAdminUnknown: 'throw',
    },
    userId,
    state,
  );
  return { published: userId, blocks };
}
