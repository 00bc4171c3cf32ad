import type { SlackServices } from '../context.js';
import { HOME_ACTION } from '../ids.js';
import { action, event, type Registration } from '../registry.js';
import { homeFocus, homeOpened, homeResize } from './actions.js';

/** The App Home tab. */
export function homeListeners(services: SlackServices): Registration[] {
  return [
    event('app_home_opened', homeOpened(services)),
    action(HOME_ACTION.resize, homeResize(services)),
    action(HOME_ACTION.focus, homeFocus(services)),
  ];
}
