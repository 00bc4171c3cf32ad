import type { types } from '@slack/bolt';
import { PRIORITIES, PRIORITY_LABEL } from '../../domain/priority.js';
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.js';

/** Small Block Kit pieces shared by the builders, each cut to Slack's limits. */

export type KnownBlock = types.KnownBlock;
export type PlainTextOption = types.PlainTextOption;

export const plain = (text: string, max = 3000): types.PlainTextElement => ({
  type: 'plain_text',
  text: truncate(text, max),
  emoji: true,
});

export const mrkdwn = (text: string, max = 3000): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: truncate(text, max),
});

/** Option text ≤ 75, value ≤ 150 characters. */
export const option = (text: string, value: string): PlainTextOption => ({
  text: plain(text, 75),
  value: value.slice(0, 150),
});

export const section = (text: string): types.SectionBlock => ({ type: 'section', text: mrkdwn(text, 3000) });

export const context = (texts: string[]): types.ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, 10).map((text) => mrkdwn(text, 3000)),
});

/** `<!date^…>`: Slack shows the time in each reader's own time zone. */
export function slackDate(at: Date, format = '{date_short_pretty} at {time}'): string {
  const epoch = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${epoch}^${format}|${fallback}>`;
}

/** A file as a link to it in Slack, by its name. */
export const fileLink = (file: { name: string; permalink: string | null }): string =>
  file.permalink ? `<${file.permalink}|${escapeMrkdwn(file.name)}>` : escapeMrkdwn(file.name);

/** A short ephemeral answer. */
export function notice(text: string): { text: string; blocks: KnownBlock[] } {
  return { text, blocks: [section(text)] };
}

/** A modal that only says something (a refusal, a stale view). */
export function noticeModal(title: string, text: string): types.ModalView {
  return { type: 'modal', title: plain(title, 24), close: plain('Close', 24), blocks: [section(text)] };
}

/** The priorities as select options, lowest first. */
export const priorityOptions = (): PlainTextOption[] =>
  PRIORITIES.map((priority) => option(PRIORITY_LABEL[priority], priority));
