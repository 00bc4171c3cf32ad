/**
 * Slack mrkdwn escaping. Text a person typed is shown through `escapeMrkdwn`, so `<!channel>` pings
 * nobody and `<https://evil|label>` stays visible text instead of a forged link.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters (by code point, so no emoji is split), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Escapes `text` and fits the result in `max` characters, cutting before an escape sequence rather
 * than through it (a cut `&am` would show as text), and marking the cut with an ellipsis.
 */
export function escapeTruncated(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (Array.from(escaped).length <= max) return escaped;
  let out = '';
  let length = 0;
  for (const character of text) {
    const piece = escapeMrkdwn(character);
    if (length + piece.length > max - 1) break;
    out += piece;
    length += piece === character ? 1 : piece.length;
  }
  return `${out}…`;
}

/** A mention of a user, which Slack renders with their current name. */
export const mentionUser = (userId: string) => `<@${userId}>`;
export const mentionChannel = (channelId: string) => `<#${channelId}>`;

/**
 * Slack message markup as plain text, for a message turned into a ticket: entities decoded, links as
 * "label (url)", channels as #name, special mentions as @here. A user mention becomes "@U123": a mention
 * would ping the person again wherever the text is shown.
 */
export function slackMarkupToText(text: string): string {
  return text
    .replace(/<([^<>]+)>/g, (_whole, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return label ? `@${label}` : target;
      if (target.startsWith('#')) return label ? `#${label}` : target;
      if (target.startsWith('!subteam^')) return label ?? '@team';
      if (target.startsWith('!date^')) return label ?? '';
      if (target.startsWith('!')) return `@${target.slice(1)}`;
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
