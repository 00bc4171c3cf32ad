import { z } from 'zod';
import { ConfigError } from '../domain/errors.js';

/**
 * The process environment of docs/design.md "Contracts", parsed once at start. A missing or malformed
 * variable stops the app with a message naming it and saying what to set.
 */

/** Treats an empty variable (`FOO=` in a .env file) as unset. */
const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());

export const envSchema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(
    blankAsUnset,
    z
      .string({ error: 'is not set: the Bot User OAuth Token (xoxb-…) from the Slack app’s OAuth page' })
      .startsWith('xoxb-', { error: 'must be a bot token starting with xoxb-' }),
  ),
  SLACK_SIGNING_SECRET: optional(z.string()),
  SLACK_APP_TOKEN: optional(
    z.string().startsWith('xapp-', { error: 'must be an app-level token starting with xapp-' }),
  ),
  SLACK_API_URL: z.preprocess(
    blankAsUnset,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
      .default('https://slack.com/api/')
      .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  ),
  PORT: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a port number' })
      .int({ error: 'must be a whole port number' })
      .min(0, { error: 'must be a port number between 0 and 65535' })
      .max(65535, { error: 'must be a port number between 0 and 65535' })
      .default(3000),
  ),
  DATABASE_URL: optional(
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }),
  ),
  DATA_DIR: z.preprocess(blankAsUnset, z.string().default('./.data')),
  HELPDESK_CONFIG: optional(z.string()),
  /** The mail channel (README "Mail"): the SMTP server inside the app starts when SMTP_PORT is set. */
  SMTP_PORT: optional(z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535)),
  SMTP_HOST: z.preprocess(blankAsUnset, z.string().default('0.0.0.0')),
  SMTP_TLS_CERT: optional(z.string()),
  SMTP_TLS_KEY: optional(z.string()),
  SMTP_MAX_BYTES: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a number of bytes' })
      .int()
      .min(1024, { error: 'must be at least 1024 bytes' })
      .default(25 * 1024 * 1024),
  ),
  /** Outgoing mail: smtp://user:pass@relay:587 (smtps:// for implicit TLS). */
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })),
  /** The shared secret of POST /mail/inbound (mail forwarded by a provider's webhook). */
  MAIL_INBOUND_SECRET: optional(z.string().min(16, { error: 'must be at least 16 characters' })),
  /** Check SPF, DKIM and DMARC of inbound mail before trusting its From: address. */
  MAIL_VERIFY_SENDER: z.preprocess(
    blankAsUnset,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  ),
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z
      .enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' })
      .default('info'),
  ),
});

export type Env = z.infer<typeof envSchema>;

const isSet = (value: string | undefined) => value !== undefined && value.trim() !== '';

/** Parses the environment; throws a ConfigError whose message names every bad variable at once. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  const lines = result.success
    ? []
    : result.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'} ${issue.message}`);
  // HTTP mode verifies every request with the signing secret; Socket Mode needs the app token instead.
  if (!isSet(source.SLACK_APP_TOKEN) && !isSet(source.SLACK_SIGNING_SECRET)) {
    lines.push(
      '  SLACK_SIGNING_SECRET is not set: the Signing Secret from the Slack app’s Basic Information page ' +
        '(HTTP mode), or set SLACK_APP_TOKEN (xapp-…) for Socket Mode',
    );
  }
  if (isSet(source.SMTP_TLS_CERT) !== isSet(source.SMTP_TLS_KEY)) {
    lines.push('  SMTP_TLS_CERT and SMTP_TLS_KEY go together: set both PEM files for STARTTLS, or neither');
  }
  if (result.success && lines.length === 0) return result.data;
  throw new ConfigError(`Folio cannot start: fix these environment variables.\n${lines.join('\n')}`);
}
