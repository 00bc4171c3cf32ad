import { z } from 'zod';
import {
  compactHomeState,
  compactHomeStateSchema,
  DEFAULT_HOME_STATE,
  type HomeState,
  type ListResize,
  listKeySchema,
  listSizeSchema,
} from '../../home/state.js';
import { parseJsonAs } from '../../lib/json.js';

/**
 * What a published Home view carries back to Folio: the person's state (src/home/state.ts) in its
 * private_metadata, which Slack sends back with every click and with `app_home_opened`, and the list
 * and size in each "Show more" / "Show fewer" button. Both in compact form: private_metadata holds
 * 3,000 characters, and views published earlier carry these keys.
 */

/** The state a view carried; the defaults when it carried none or something unreadable. */
export const readHomeState = (privateMetadata: string | undefined): HomeState =>
  parseJsonAs(compactHomeStateSchema, privateMetadata || '{}') ?? DEFAULT_HOME_STATE;

/** The private_metadata of a view showing `state`. */
export const homeMetadata = (state: HomeState): string => JSON.stringify(compactHomeState(state));

/** A resize button's value: `{ k: list key, n: size }`. */
const resizeValueSchema = z
  .object({ k: listKeySchema, n: listSizeSchema })
  .transform(({ k: list, n: size }): ListResize => ({ list, size }));

export const readResizeValue = (value: string | undefined): ListResize | undefined =>
  parseJsonAs(resizeValueSchema, value);

export const resizeValue = ({ list, size }: ListResize): string => JSON.stringify({ k: list, n: size });
