/**
 * Limits Folio sets on what people type. The subject fits, with its folio, in a Slack header block
 * (150 characters); a description fits in a modal's text input (3000), and a ticket made from a Slack
 * message keeps up to Slack's own message length (40,000).
 */
export const SUBJECT_MAX_LENGTH = 120;
export const DESCRIPTION_INPUT_MAX_LENGTH = 3000;
export const DESCRIPTION_MAX_LENGTH = 40_000;
export const MAX_ATTACHMENTS = 10;

/** Replies, notes, questions, resolutions and "still broken" details: a modal text input's limit. */
export const MESSAGE_MAX_LENGTH = 3000;
/** The reason given for a priority change or a snooze. */
export const REASON_MAX_LENGTH = 500;
/** The title of a linked task. */
export const LINK_TITLE_MAX_LENGTH = 200;
