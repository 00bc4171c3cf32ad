import type {
  AllMiddlewareArgs,
  BlockAction,
  BlockElementAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type HomeState, resized } from '../../home/state.js';
import { rememberHome } from '../../home/store.js';
import type { SlackServices } from '../context.js';
import { publishHomeNow } from './render.js';
import { readHomeState, readResizeValue } from './state.js';

/** The Home tab's listeners: ack, read the person's state from the view, re-publish after the ack. */

type ClickArgs<Element extends BlockElementAction> = SlackActionMiddlewareArgs<BlockAction<Element>> &
  AllMiddlewareArgs;

/** Keeps the person's state (so refreshes from the outbox keep it) and publishes their tab. */
function republish(services: SlackServices, client: WebClient, viewer: string, state: HomeState): void {
  services.background.run('publishing a Home tab', async () => {
    await rememberHome(services.db, viewer, state, services.clock.now());
    await publishHomeNow(services, client, viewer, state);
  });
}

/** The person opened the Home tab: show it as it is now, keeping the sizes they chose. */
export const homeOpened =
  (services: SlackServices) =>
  async ({
    event,
    client,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    republish(services, client, event.user, readHomeState(event.view?.private_metadata));
  };

/**
 * A click in the Home tab: ack, work out the person's next state from their current one (kept in the
 * view) and what they clicked, and re-publish their tab.
 */
const onHomeAction =
  <Element extends BlockElementAction>(
    services: SlackServices,
    next: (state: HomeState, action: Element) => HomeState,
  ) =>
  async ({ ack, action, body, client }: ClickArgs<Element>): Promise<void> => {
    await ack();
    republish(services, client, body.user.id, next(readHomeState(body.view?.private_metadata), action));
  };

/** "Show more" / "Show fewer" under a list. */
export const homeResize = (services: SlackServices) =>
  onHomeAction<ButtonAction>(services, (state, action) => {
    const value = readResizeValue(action.value);
    // An unreadable value (an old or forged view) just refreshes the tab.
    return value ? resized(state, value) : state;
  });

/** The select of folded desks: that desk's queues come first. */
export const homeFocus = (services: SlackServices) =>
  onHomeAction<StaticSelectAction>(services, (state, action) => {
    const desk = action.selected_option?.value;
    return desk ? { ...state, focusedDesk: desk.slice(0, 30) } : state;
  });
