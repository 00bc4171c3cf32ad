import type { App } from '@slack/bolt';
import { adminListeners } from './admin/index.js';
import { cardListeners } from './card/index.js';
import { commandListeners } from './command/index.js';
import type { SlackServices } from './context.js';
import { conversationListeners } from './conversation/index.js';
import { homeListeners } from './home/index.js';
import { refreshHome } from './home/render.js';
import { intakeListeners } from './intake/index.js';
import { type Registration, registerAll } from './registry.js';

/**
 * Every Slack listener of the app, surface by surface (each surface's index.ts lists its own). The
 * administration is handed the Home's refresh: the Home composes the administration area, so
 * administration does not import the Home.
 */
export function listeners(services: SlackServices): Registration[] {
  return [
    ...commandListeners(services),
    ...intakeListeners(services),
    ...cardListeners(services),
    ...conversationListeners(services),
    ...homeListeners(services),
    ...adminListeners(services, refreshHome(services)),
  ];
}

export function registerListeners(app: App, services: SlackServices): void {
  registerAll(app, listeners(services));
}
