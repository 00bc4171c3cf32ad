import { COMMAND } from '../ids.js';
import { type KnownBlock, section } from './elements.js';

export function helpMessage(intro?: string): { text: string; blocks: KnownBlock[] } {
  const lines = [
    `\`${COMMAND}\` opens a new ticket; \`${COMMAND} printer on fire\` fills in the subject.`,
    `\`${COMMAND} help\` shows this message.`,
  ];
  const text = [intro, ...lines].filter(Boolean).join('\n');
  return { text, blocks: [section(text)] };
}
