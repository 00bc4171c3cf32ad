import type { ServerResponse } from 'node:http';
import type { Database } from '../db/client.js';

const PING_TIMEOUT_MS = 2000;

/** `GET /healthz`: 200 when the database answers within 2 s, 503 otherwise. */
export function healthRoute(database: Database) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: unknown, res: ServerResponse) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database did not answer in time')), PING_TIMEOUT_MS);
      });
      Promise.race([database.ping(), timeout])
        .then(
          () => reply(res, 200, { status: 'ok', database: 'ok' }),
          (error: unknown) =>
            reply(res, 503, {
              status: 'unavailable',
              database: error instanceof Error ? error.message : 'unreachable',
            }),
        )
        .finally(() => clearTimeout(timer));
    },
  };
}

function reply(res: ServerResponse, status: number, body: Record<string, string>) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
