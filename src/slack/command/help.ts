import { COMMAND } from '../ids.js';
import { type KnownBlock, section } from '../kit/elements.js';

const LINES = [
  `\`${COMMAND}\` opens a new ticket; \`${COMMAND} printer on fire\` fills in its subject.`,
  `\`${COMMAND} list\`: your requests.`,
  `\`${COMMAND} mine\`: tickets assigned to you.`,
  `\`${COMMAND} queue [desk]\`: a desk's tickets waiting to be assigned.`,
  `\`${COMMAND} TKT042\`: one ticket, with its details and actions.`,
  `\`${COMMAND} search <words>\`: find tickets by words in their subject, description or replies.`,
  `\`${COMMAND} stats\`: each desk's tickets by status, response and resolution times, SLA attainment.`,
  'From any message: ⋯ → *Create ticket*. From the composer or search bar: *New ticket*.',
];

export function helpMessage(intro?: string): { text: string; blocks: KnownBlock[] } {
  const text = [intro, ...LINES].filter(Boolean).join('\n');
  return { text, blocks: [section(text)] };
}
