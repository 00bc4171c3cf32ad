import type { DeliveryContext, DeliveryResult } from '../../outbox/deliveries.js';

/** Publishes a person's App Home tab (outbox kind `home.publish`). Built in the App Home work. */
export async function publishHome(_ctx: DeliveryContext, _userId: string): Promise<DeliveryResult> {
  return { skipped: 'the App Home tab is not built yet' };
}
