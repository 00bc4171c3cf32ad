import type { SlackServices } from '../context.js';
import type { Registration } from '../listeners/registry.js';

/** Administration of desks, categories, SLA targets and calendars from the App Home. */
export function adminListeners(_s: SlackServices): Registration[] {
  return [];
}
