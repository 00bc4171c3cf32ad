import type { SlackServices } from '../context.js';
import { HOME_ACTION } from '../ids.js';
import { action, event, type Registration } from '../registry.js';
import { homeFocus, homeOpened, homeResize } from './actions.js';

/** The App Home tab. */
export function homeListeners(s: SlackServices): Registration[] {
  return [
    event('app_home_opened', homeOpened(s)),
    action(HOME_ACTION.resize, homeResize(s)),
    action(HOME_ACTION.focus, homeFocus(s)),
  ];
}
