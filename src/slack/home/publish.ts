import type { DeliveryContext, DeliveryResult } from '../../outbox/deliveries.js';
import { workspaceAdminsOf } from '../admin/workspaceAdmins.js';
import { publishHomeView } from './render.js';
import { DEFAULT_HOME_STATE } from './state.js';

/**
 * Publishes a person's App Home tab (outbox kind `home.publish`, enqueued by every change that
 * concerns them; the outbox keeps one pending refresh per person and delays it a few seconds, so a
 * busy desk costs each member one views.publish per few seconds at most). The outbox has no view to
 * read the person's list sizes from: the refresh shows the defaults.
 */
export async function publishHome(ctx: DeliveryContext, userId: string): Promise<DeliveryResult> {
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
    DEFAULT_HOME_STATE,
  );
  return { published: userId, blocks };
}
