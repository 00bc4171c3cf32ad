import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.js';
import { ConfigError } from '../../../src/domain/errors.js';

const BOT = 'xoxb-fake-bot-token-botsecretvalue';
const SIGNING = 'signing-secret-value-8f3a';
const APP = 'xapp-fake-app-token-appsecretvalue';

/** The mail channel's defaults: no SMTP server, 25 MB per mail, senders not checked. */
const MAIL_DEFAULTS = { SMTP_HOST: '0.0.0.0', SMTP_MAX_BYTES: 25 * 1024 * 1024, MAIL_VERIFY_SENDER: false };

/** The error parseEnv throws for `env`, or a failure if it throws none. */
function errorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseEnv(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('parseEnv accepted an invalid environment');
}

describe('parseEnv', () => {
  it('fills every default from the minimal HTTP-mode environment', () => {
    expect(parseEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING })).toEqual({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: 'https://slack.com/api/',
      PORT: 3000,
      DATA_DIR: './.data',
      LOG_LEVEL: 'info',
      ...MAIL_DEFAULTS,
    });
  });

  it('reads every variable when all are set', () => {
    expect(
      parseEnv({
        SLACK_BOT_TOKEN: BOT,
        SLACK_SIGNING_SECRET: SIGNING,
        SLACK_APP_TOKEN: APP,
        SLACK_API_URL: 'https://slack-gov.com/api/',
        PORT: '8080',
        DATABASE_URL: 'postgresql://folio:pw@db.internal:5432/folio',
        DATA_DIR: '/var/lib/folio',
        HELPDESK_CONFIG: './folio.yaml',
        LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_APP_TOKEN: APP,
      SLACK_API_URL: 'https://slack-gov.com/api/',
      PORT: 8080,
      DATABASE_URL: 'postgresql://folio:pw@db.internal:5432/folio',
      DATA_DIR: '/var/lib/folio',
      HELPDESK_CONFIG: './folio.yaml',
      LOG_LEVEL: 'debug',
      ...MAIL_DEFAULTS,
    });
  });

  it.each([
    ['http://127.0.0.1:9999/api', 'http://127.0.0.1:9999/api/'],
    ['https://proxy.example.com/slack', 'https://proxy.example.com/slack/'],
    ['https://proxy.example.com/slack/', 'https://proxy.example.com/slack/'],
  ])('gives SLACK_API_URL %s a trailing slash: %s', (url, expected) => {
    expect(
      parseEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: url }).SLACK_API_URL,
    ).toBe(expected);
  });

  it('treats empty variables (FOO= in a .env file) as unset', () => {
    expect(
      parseEnv({
        SLACK_BOT_TOKEN: BOT,
        SLACK_SIGNING_SECRET: SIGNING,
        SLACK_APP_TOKEN: '',
        SLACK_API_URL: '',
        PORT: '',
        DATABASE_URL: ' ',
        DATA_DIR: '',
        HELPDESK_CONFIG: '',
        LOG_LEVEL: '',
      }),
    ).toEqual({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: 'https://slack.com/api/',
      PORT: 3000,
      DATA_DIR: './.data',
      LOG_LEVEL: 'info',
      ...MAIL_DEFAULTS,
    });
  });

  it('accepts Socket Mode: an app token and no signing secret', () => {
    expect(parseEnv({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP })).toEqual({
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: APP,
      SLACK_API_URL: 'https://slack.com/api/',
      PORT: 3000,
      DATA_DIR: './.data',
      LOG_LEVEL: 'info',
      ...MAIL_DEFAULTS,
    });
  });

  it('reads the mail variables', () => {
    expect(
      parseEnv({
        SLACK_BOT_TOKEN: BOT,
        SLACK_SIGNING_SECRET: SIGNING,
        SMTP_PORT: '2525',
        SMTP_HOST: '127.0.0.1',
        SMTP_MAX_BYTES: '1048576',
        SMTP_URL: 'smtp://folio:pw@relay.internal:587',
        MAIL_INBOUND_SECRET: 'a-long-random-inbound-secret',
        MAIL_VERIFY_SENDER: 'true',
      }),
    ).toMatchObject({
      SMTP_PORT: 2525,
      SMTP_HOST: '127.0.0.1',
      SMTP_MAX_BYTES: 1048576,
      SMTP_URL: 'smtp://folio:pw@relay.internal:587',
      MAIL_INBOUND_SECRET: 'a-long-random-inbound-secret',
      MAIL_VERIFY_SENDER: true,
    });
  });

  it.each([
    [{ SMTP_URL: 'http://relay:587' }, 'SMTP_URL must be an smtp:// or smtps:// URL'],
    [{ MAIL_INBOUND_SECRET: 'short' }, 'MAIL_INBOUND_SECRET must be at least 16 characters'],
    [{ MAIL_VERIFY_SENDER: 'yes' }, 'MAIL_VERIFY_SENDER must be true or false'],
    [{ SMTP_TLS_CERT: '/etc/folio/smtp.crt' }, 'SMTP_TLS_CERT and SMTP_TLS_KEY go together'],
  ])('refuses a bad mail setting %o', (mail, message) => {
    expect(errorOf({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, ...mail }).message).toContain(
      message,
    );
  });

  it('names both the missing bot token and the missing signing secret at once', () => {
    expect(errorOf({}).message).toBe(
      'Folio cannot start: fix these environment variables.\n' +
        '  SLACK_BOT_TOKEN is not set: the Bot User OAuth Token (xoxb-…) from the Slack app’s OAuth page\n' +
        '  SLACK_SIGNING_SECRET is not set: the Signing Secret from the Slack app’s Basic Information page ' +
        '(HTTP mode), or set SLACK_APP_TOKEN (xapp-…) for Socket Mode',
    );
  });

  it('counts a blank signing secret as missing in HTTP mode', () => {
    const message = errorOf({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: '   ' }).message;
    expect(message.split('\n').slice(1)).toEqual([
      '  SLACK_SIGNING_SECRET is not set: the Signing Secret from the Slack app’s Basic Information page ' +
        '(HTTP mode), or set SLACK_APP_TOKEN (xapp-…) for Socket Mode',
    ]);
  });

  it('counts an empty bot token as not set', () => {
    const message = errorOf({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: SIGNING }).message;
    expect(message.split('\n').slice(1)).toEqual([
      '  SLACK_BOT_TOKEN is not set: the Bot User OAuth Token (xoxb-…) from the Slack app’s OAuth page',
    ]);
  });

  it('names every bad variable in one message', () => {
    const message = errorOf({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SIGNING,
      PORT: 'eighty',
      DATABASE_URL: 'mysql://folio:hunter2@db/folio',
      LOG_LEVEL: 'verbose',
    }).message;
    expect(message.split('\n')).toEqual([
      'Folio cannot start: fix these environment variables.',
      '  PORT must be a port number',
      '  DATABASE_URL must be a postgres:// or postgresql:// URL',
      '  LOG_LEVEL must be one of debug, info, warn, error',
    ]);
  });

  it.each([
    ['70000', '  PORT must be a port number between 0 and 65535'],
    ['-1', '  PORT must be a port number between 0 and 65535'],
    ['80.5', '  PORT must be a whole port number'],
  ])('refuses PORT=%s', (port, line) => {
    expect(
      errorOf({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, PORT: port }).message.split('\n'),
    ).toEqual(['Folio cannot start: fix these environment variables.', line]);
  });

  it('refuses a SLACK_API_URL that is not http(s)', () => {
    expect(
      errorOf({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: 'ftp://slack.com/api' })
        .message,
    ).toContain('\n  SLACK_API_URL must be an http(s) URL such as https://slack.com/api/');
  });

  it('refuses tokens of the wrong kind without printing them', () => {
    const wrongBot = 'xoxp-fake-user-token-9999';
    const wrongApp = 'xoxb-fake-not-an-app-token-9999';
    const message = errorOf({ SLACK_BOT_TOKEN: wrongBot, SLACK_APP_TOKEN: wrongApp }).message;
    expect(message.split('\n')).toEqual([
      'Folio cannot start: fix these environment variables.',
      '  SLACK_BOT_TOKEN must be a bot token starting with xoxb-',
      '  SLACK_APP_TOKEN must be an app-level token starting with xapp-',
    ]);
    expect(message).not.toContain('9999');
  });

  it('never echoes a secret value, whatever else is wrong', () => {
    const message = errorOf({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_APP_TOKEN: APP,
      PORT: 'x',
      DATABASE_URL: 'mysql://folio:hunter2@db/folio',
      LOG_LEVEL: 'loud',
      SLACK_API_URL: 'not a url',
    }).message;
    for (const secret of ['botsecretvalue', SIGNING, 'appsecretvalue', 'hunter2']) {
      expect(message).not.toContain(secret);
    }
  });
});
