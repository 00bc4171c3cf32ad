/**
 * Shapes of Slack ids (users; public and private channels), checked at the edges: the configuration
 * file and use case inputs. Slack's own ids are a letter then capitals and digits; underscores are
 * accepted too, which readable test ids use.
 */
export const SLACK_USER_ID = /^[UW][A-Z0-9_]{2,}$/;
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9_]{2,}$/;
