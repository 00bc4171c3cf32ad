import { type Deliverer, PermanentDeliveryError } from '../../outbox/deliverer.js';

/** Placeholder until the mail deliverer lands: mail kinds fail at once. */
export function mailDeliverer(): Deliverer {
  return {
    kinds: ['mail.notify', 'mail.reply'],
    deliver: async () => {
      throw new PermanentDeliveryError('mail is not configured');
    },
    classify: () => undefined,
  };
}
