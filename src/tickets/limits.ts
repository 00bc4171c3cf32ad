/**
 * Limits Folio sets on what people type. The subject fits, with its folio, in a Slack header block
 * (150 characters); a description fits in a modal's text input (3000), and a ticket made from a Slack
 * message keeps up to Slack's own message length (40,000).
 */
export const SUBJECT_MAX_LENGTH = 120;
export const DESCRIPTION_INPUT_MAX_LENGTH = 3000;
export const DESCRIPTION_MAX_LENGTH = 40_000;
export const MAX_ATTACHMENTS = 10;
