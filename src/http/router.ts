import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FolioLogger } from '../lib/logger.js';

/**
 * Folio's one HTTP server: a table of routes by method and exact path. Slack's endpoint, `/healthz`
 * and `/metrics` are routes; a new channel (an API, an inbound mail webhook, a web form) adds its own.
 * A handler's failure is answered 500 here and logged, never left as an unhandled rejection: one bad
 * request cannot stop the process.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: Method;
  path: string;
  handle: Handler;
}

export class Router {
  private readonly routes = new Map<string, Map<string, Handler>>();

  constructor(private readonly log: FolioLogger) {}

  add(...routes: Route[]): this {
    for (const route of routes) {
      const byMethod = this.routes.get(route.path) ?? new Map<string, Handler>();
      if (byMethod.has(route.method)) throw new Error(`Two routes for ${route.method} ${route.path}`);
      byMethod.set(route.method, route.handle);
      this.routes.set(route.path, byMethod);
    }
    return this;
  }

  /** The `node:http` request listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const path = pathOf(req.url);
    const byMethod = path === undefined ? undefined : this.routes.get(path);
    const handle = byMethod?.get(req.method ?? '');
    if (!byMethod) {
      plain(res, 404, 'Not found');
    } else if (!handle) {
      res.setHeader('allow', [...byMethod.keys()].join(', '));
      plain(res, 405, 'Method not allowed');
    } else {
      this.run(handle, req, res);
    }
  };

  private run(handle: Handler, req: IncomingMessage, res: ServerResponse): void {
    try {
      const pending = handle(req, res);
      if (pending) pending.catch((error: unknown) => this.failed(req, res, error));
    } catch (error) {
      this.failed(req, res, error);
    }
  }

  private failed(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    this.log.error(`Unhandled error answering ${req.method} ${pathOf(req.url) ?? req.url}`, error);
    if (!res.headersSent) plain(res, 500, 'Internal error');
    else res.end();
  }
}

export interface HttpServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0 picks a free one) and resolves once listening. */
export async function listen(router: Router, port: number): Promise<HttpServer> {
  const server = createServer(router.listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections left idle would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

export function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export class BodyTooLargeError extends Error {}

/**
 * The request's body, refused past `limit` bytes. The rest of a refused body is read and dropped, so
 * the connection stays able to carry the 413.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        reject(new BodyTooLargeError(`request body over ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
