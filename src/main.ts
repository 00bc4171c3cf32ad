import { startFolio } from './app.js';
import { loadHelpdeskConfig } from './config/desks.js';
import { parseEnv } from './config/env.js';
import { ConfigError } from './domain/errors.js';

// `npm start`: read the environment and the desks configuration, start, stop cleanly on SIGTERM.
try {
  const env = parseEnv(process.env);
  const config = await loadHelpdeskConfig(env.HELPDESK_CONFIG);
  const folio = await startFolio({ env, config });
  // Last resort. A promise that failed with nobody awaiting it is a bug in a path that had already
  // answered its request (every request's own failure is answered 500 by src/http/router.ts) and it
  // cannot leave a half-made change (each change is one database transaction), so it is logged and
  // the app keeps serving. A synchronous exception that nothing caught may have stopped code
  // half-way through in-memory state (the relay's leases, the job scheduler), so it is logged and
  // the process exits for its supervisor to restart it, as Node's documentation advises.
  process.on('unhandledRejection', (reason) => {
    folio.services.log.error('A promise failed with nobody awaiting it; still serving', reason);
  });
  process.on('uncaughtException', (error) => {
    folio.services.log.error('An uncaught exception: stopping', error);
    process.exit(1);
  });
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
