import type { SlackServices } from '../context.js';
import type { Registration } from '../listeners/registry.js';

/** The App Home tab. */
export function homeListeners(_s: SlackServices): Registration[] {
  return [];
}
