import type { Database } from '../db/client.js';
import { json, type Route } from './router.js';

const PING_TIMEOUT_MS = 2000;

/** `GET /healthz`: 200 when the database answers within 2 s, 503 otherwise. */
export function healthRoute(database: Database): Route {
  return {
    method: 'GET',
    path: '/healthz',
    handle: async (_req, res) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database did not answer in time')), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([database.ping(), timeout]);
        json(res, 200, { status: 'ok', database: 'ok' });
      } catch (error) {
        json(res, 503, {
          status: 'unavailable',
          database: error instanceof Error ? error.message : 'unreachable',
        });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
