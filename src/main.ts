import { startFolio } from './app.js';
import { loadHelpdeskConfig } from './config/desks.js';
import { ConfigError, parseEnv } from './config/env.js';

// `npm start`: read the environment and the desks configuration, start, stop cleanly on SIGTERM.
try {
  const env = parseEnv(process.env);
  const config = await loadHelpdeskConfig(env.HELPDESK_CONFIG);
  const folio = await startFolio({ env, config });
  const shutdown = (signal: string) => {
    folio.services.log.info(`${signal} received: finishing work in hand, then stopping`);
    folio.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        folio.services.log.error('Error while stopping', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
