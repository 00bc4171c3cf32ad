import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { FakeSlack } from '../harness/fakeSlack.js';
import { startTestFolio, type TestFolio } from '../support/folio.js';

/**
 * Socket Mode, as on a laptop: with SLACK_APP_TOKEN set, Folio opens a WebSocket to Slack (the URL
 * apps.connections.open gives it) instead of serving HTTP. Here Slack's side of that socket is a small
 * WebSocket server speaking Slack's protocol: hello, then envelopes that the app must acknowledge.
 */

let folio: TestFolio | undefined;
let fake: FakeSlack | undefined;
let wss: WebSocketServer | undefined;

afterAll(async () => {
  await folio?.stop();
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  await fake?.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('Socket Mode', () => {
  it('connects with the app token, answers /ticket through the socket, and serves /healthz', async () => {
    fake = await FakeSlack.start();
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss = server;
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const address = server.address();
    const wsPort = typeof address === 'object' && address ? address.port : 0;
    fake.on('apps.connections.open', () => ({ url: `ws://127.0.0.1:${wsPort}/link` }));
    // Slack greets every new connection; the app's start waits for that hello.
    const connected = new Promise<WebSocket>((resolve) =>
      server.once('connection', (socket) => {
        socket.send(
          JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FOLIO' } }),
        );
        resolve(socket);
      }),
    );

    const port = await freePort();
    folio = await startTestFolio({
      fake,
      env: { SLACK_APP_TOKEN: 'xapp-fake-socket-mode-token', SLACK_SIGNING_SECRET: '', PORT: String(port) },
    });
    const socket = await connected;
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe('xapp-fake-socket-mode-token');

    const acked = new Promise<unknown>((resolve) =>
      socket.on('message', (data) => resolve(JSON.parse(String(data)))),
    );
    const triggerId = fake.newTriggerId();
    socket.send(
      JSON.stringify({
        envelope_id: 'envelope-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          token: 'verification',
          team_id: 'T0FOLIO',
          team_domain: 'acme',
          channel_id: 'C_GENERAL',
          channel_name: 'general',
          user_id: 'U_REQ_RITA',
          user_name: 'rita',
          command: '/ticket',
          text: 'printer on fire',
          api_app_id: 'A0FOLIO',
          response_url: fake.newResponseUrl(),
          trigger_id: triggerId,
        },
      }),
    );
    expect(await acked).toMatchObject({ envelope_id: 'envelope-1' });
    const opened = await fake.waitForCall('views.open', (a) => a.trigger_id === triggerId);
    expect(JSON.stringify(opened.args.view)).toContain('printer on fire');

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  });
});
