import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Env } from './config/env.js';
import { type Database, databaseTargetOf, openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { DeskDirectory } from './desks/directory.js';
import type { HelpdeskConfig } from './desks/model.js';
import { syncConfig } from './desks/sync.js';
import { healthRoute } from './http/health.js';
import { metricsRoute, RequestCounters } from './http/metrics.js';
import { type HttpServer, listen, Router } from './http/router.js';
import { allJobs, createScheduler, type Scheduler } from './jobs/index.js';
import { Background } from './lib/background.js';
import { type Clock, systemClock } from './lib/clock.js';
import { createLogger, type FolioLogger } from './lib/logger.js';
import { startMailChannel } from './mail/channel.js';
import { mailDeliverer } from './mail/outbound/deliverer.js';
import { createMailTransport } from './mail/outbound/transport.js';
import { OutboxRelay, type RelayOptions } from './outbox/relay.js';
import type { SlackServices } from './slack/context.js';
import { slackDeliverer } from './slack/delivery/deliverer.js';
import { SlackFileContent } from './slack/kit/fileContent.js';
import { SlackMemberLookup } from './slack/kit/memberLookup.js';
import { People } from './slack/kit/people.js';
import { WorkspaceInfo } from './slack/kit/workspace.js';
import { registerListeners } from './slack/listeners.js';
import { SlackReceiver } from './slack/receiver.js';

/**
 * Builds and starts Folio: database (migrated), desks configuration, the Bolt app with its
 * listeners, the outbox relay. Only wiring happens here; `main.ts` and the tests both call it.
 */

export interface FolioOptions {
  env: Env;
  config: HelpdeskConfig;
  /** An open database (tests); otherwise one is opened from the environment and closed on stop. */
  database?: Database;
  clock?: Clock;
  log?: FolioLogger;
  relay?: Partial<
    Pick<RelayOptions, 'pollMs' | 'batchSize' | 'leaseSeconds' | 'maxAttempts' | 'baseBackoffSeconds'>
  >;
  /** Web API timeout for the relay's calls, in ms. */
  slackTimeoutMs?: number;
  /** The DNS resolver of the mail sender checks (tests have no DNS); the system's by default. */
  mailResolver?: (name: string, rrtype: string) => Promise<unknown>;
  /** 'manual': jobs run only through `scheduler.runNow` (tests and the demo move time themselves). */
  scheduler?: 'timers' | 'manual';
}

export interface RunningFolio {
  services: SlackServices;
  database: Database;
  relay: OutboxRelay;
  scheduler: Scheduler;
  app: App;
  /** The HTTP port actually bound (PORT=0 picks a free one); in Socket Mode it serves /healthz and /metrics. */
  port: number;
  /** The SMTP port bound when SMTP_PORT is set (0 picks a free one). */
  smtpPort: number | undefined;
  stop(): Promise<void>;
}

const BOLT_LEVEL = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
} as const;

export async function startFolio(options: FolioOptions): Promise<RunningFolio> {
  const { env } = options;
  const log =
    options.log ??
    createLogger(BOLT_LEVEL[env.LOG_LEVEL], {
      secrets: [env.SLACK_SIGNING_SECRET ?? '', env.SLACK_BOT_TOKEN],
    });
  const database = options.database ?? (await openDatabase(databaseTargetOf(env)));
  const ownsDatabase = !options.database;
  await migrate(database);
  await syncConfig(database.db, options.config, log.child({ component: 'config' }));
  for (const desk of options.config.desks.filter((desk) => !desk.channel)) {
    log.warn(`Desk "${desk.key}" has no channel: set one in HELPDESK_CONFIG so its cards can be posted`);
  }

  // Outbox deliveries retry on their own schedule (honouring Retry-After), so the client must not.
  const slackTimeoutMs = options.slackTimeoutMs ?? 10_000;
  const relaySlack = new WebClient(env.SLACK_BOT_TOKEN, {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: slackTimeoutMs,
    logger: log.child({ component: 'web-api' }),
  });
  const directory = new DeskDirectory();
  const people = new People(relaySlack);
  const outboxLog = log.child({ component: 'outbox' });
  const relay = new OutboxRelay({
    db: database.db,
    deliverers: [
      slackDeliverer({ db: database.db, directory, slack: relaySlack, log: outboxLog }),
      mailDeliverer({
        db: database.db,
        directory,
        transport: env.SMTP_URL ? await createMailTransport(env.SMTP_URL, slackTimeoutMs) : null,
        files: new SlackFileContent(relaySlack, env.SLACK_BOT_TOKEN),
        outbox: { kick: () => relay.kick() },
        log: outboxLog,
        names: people,
      }),
    ],
    log: outboxLog,
    requestTimeoutMs: slackTimeoutMs,
    ...options.relay,
  });
  const services: SlackServices = {
    db: database.db,
    directory,
    clock: options.clock ?? systemClock,
    log,
    outbox: relay,
    workspace: new WorkspaceInfo(relaySlack, log),
    background: new Background(log.child({ component: 'background' })),
    people,
  };

  const socketMode = Boolean(env.SLACK_APP_TOKEN);
  const counters = new RequestCounters();
  const router = new Router(log.child({ component: 'http' })).add(
    healthRoute(database),
    metricsRoute(database, counters),
  );
  // In HTTP mode Slack's requests come through Folio's router, checked before Bolt sees them
  // (slack/receiver.ts); in Socket Mode they come over the WebSocket and the router serves the rest.
  const receiver = socketMode
    ? undefined
    : new SlackReceiver({
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        log: log.child({ component: 'slack-http' }),
        counters,
      });
  if (receiver) router.add(receiver.route());
  const mail = await startMailChannel({
    services,
    directory,
    members: new SlackMemberLookup(relaySlack),
    ...(env.SMTP_PORT !== undefined
      ? {
          smtp: {
            host: env.SMTP_HOST,
            port: env.SMTP_PORT,
            tlsCert: env.SMTP_TLS_CERT,
            tlsKey: env.SMTP_TLS_KEY,
          },
        }
      : {}),
    inboundSecret: env.MAIL_INBOUND_SECRET,
    maxBytes: env.SMTP_MAX_BYTES,
    verifySender: env.MAIL_VERIFY_SENDER,
    ...(options.mailResolver ? { resolver: options.mailResolver } : {}),
    counters,
    log: log.child({ component: 'mail' }),
  });
  if (mail.route) router.add(mail.route);
  const app = new App({
    // The bot's ids come from one auth.test, made at the first request rather than at start (so
    // /healthz answers without Slack) and kept. Bolt's own lazy mode (`token` with
    // `tokenVerificationEnabled: false`) calls auth.test again before every request's listeners.
    authorize: async () => {
      const facts = await services.workspace.get();
      return {
        botToken: env.SLACK_BOT_TOKEN,
        botId: facts.botId,
        botUserId: facts.botUserId,
        teamId: facts.teamId,
      };
    },
    logger: log.child({ component: 'bolt' }),
    logLevel: BOLT_LEVEL[env.LOG_LEVEL],
    clientOptions: {
      slackApiUrl: env.SLACK_API_URL,
      // Listener calls (views.open) must land within Slack's 3 seconds: one quick retry at most.
      retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 200 },
      rejectRateLimitedCalls: true,
      timeout: 2500,
    },
    // The receiver answers Slack only once listeners are done: an event whose handling failed gets a
    // 500 and Slack delivers it again. Listeners ack first and leave slow work to services.background.
    ...(receiver ? { receiver } : { socketMode: true, appToken: env.SLACK_APP_TOKEN }),
  });
  registerListeners(app, services);
  app.error(async (error) => {
    log.error('Unhandled error in a Slack listener', error);
  });

  const scheduler = createScheduler({
    db: database.db,
    log: log.child({ component: 'jobs' }),
    clock: services.clock,
    outbox: relay,
    jobs: allJobs(),
    schedules: options.config.schedules,
  });

  await app.start();
  const http: HttpServer = await listen(router, env.PORT);
  const port = http.port;
  relay.start();
  if ((options.scheduler ?? 'timers') === 'timers') scheduler.start();
  log.info(`Folio is running (${socketMode ? 'Socket Mode' : 'HTTP'}) on port ${port}`, {
    mode: socketMode ? 'socket' : 'http',
    port,
    database: database.kind,
  });

  let stopping: Promise<void> | undefined;
  return {
    services,
    database,
    relay,
    scheduler,
    app,
    port,
    smtpPort: mail.smtpPort,
    stop() {
      stopping ??= (async () => {
        await mail.close();
        await http.close();
        await app.stop();
        await scheduler.stop();
        await services.background.idle();
        await relay.stop();
        if (ownsDatabase) await database.close();
        log.info('Folio stopped');
      })();
      return stopping;
    },
  };
}
