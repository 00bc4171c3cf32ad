import type { SlackServices } from '../context.js';
import { event, type Registration } from '../registry.js';
import { messageEvents } from './messages.js';

/**
 * The conversations kept in step with a ticket: the card's thread (internal notes) and the requester's
 * DM thread (public comments), from Slack's message events.
 */
export function conversationListeners(services: SlackServices): Registration[] {
  return [event('message', messageEvents(services))];
}
