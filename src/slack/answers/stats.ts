import type { KnownBlock } from '../blocks/elements.js';
import { notice } from '../blocks/help.js';
import type { SlackServices } from '../context.js';

/** `/ticket stats`: per desk, counts by status, median times, SLA attainment. Built with the App Home. */
export async function statsAnswer(_s: SlackServices, _viewer: string): Promise<{ text: string; blocks: KnownBlock[] }> {
  return notice('Statistics are not available yet.');
}
