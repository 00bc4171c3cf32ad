import type { WebClient } from '@slack/web-api';
import { isFolioError } from '../../domain/errors.js';
import { notice, noticeModal } from '../kit/elements.js';

/** Where a person clicked, to answer them there. */
export interface ClickPlace {
  response_url?: string | undefined;
  trigger_id?: string | undefined;
}

type Respond = (message: {
  response_type: 'ephemeral';
  replace_original: boolean;
  text: string;
}) => Promise<unknown>;

/**
 * Tells the person who clicked something (a refusal, a "done"): ephemerally under the message they
 * clicked in, or in a small modal when they clicked in a view (the App Home) where nothing can be
 * posted.
 */
export async function tellPerson(
  where: { respond: Respond | undefined; client: WebClient; place: ClickPlace },
  text: string,
): Promise<void> {
  if (where.respond && where.place.response_url) {
    await where.respond({ response_type: 'ephemeral', replace_original: false, ...notice(text) });
    return;
  }
  if (where.place.trigger_id)
    await where.client.views.open({ trigger_id: where.place.trigger_id, view: noticeModal('Folio', text) });
}

/** A refusal a person understands for a use-case error; anything else is rethrown for the log. */
export function refusalOf(error: unknown): string {
  if (isFolioError(error)) return error.message;
  throw error;
}
