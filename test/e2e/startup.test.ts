import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../harness/fakeSlack.js';
import { slackSignature } from '../harness/slackRequests.js';

/** `npm start` as an operator runs it: a real process, its environment, its signals. */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** The command `npm start` runs once it has built (see package.json). */
const START_ARGS = ['--max-old-space-size=128', 'dist/main.js'];

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, START_ARGS, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (d: Buffer) => stdout.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let dir: string;
let fake: FakeSlack;
beforeAll(async () => {
  // `npm start` builds first: the app as it runs in production, compiled.
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
    },
  );
  dir = await mkdtemp(join(tmpdir(), 'folio-start-'));
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await fake?.close();
});

describe('npm start (the compiled app)', () => {
  it('is what this test runs', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(`npm run build --silent && node ${START_ARGS.join(' ')}`);
  });

  it('exits with a message saying what to set when the Slack credentials are missing', async () => {
    const run = start({});
    expect(await run.exited).toBe(1);
    const err = run.stderr.join('');
    expect(err).toContain('SLACK_BOT_TOKEN is not set');
    expect(err).toContain('SLACK_SIGNING_SECRET is not set');
  });

  it('exits naming the bad field of a broken desks file', async () => {
    const file = join(dir, 'desks.yaml');
    await writeFile(
      file,
      'desks:\n  - key: it\n    name: IT\n    channel: "#it"\ncategories:\n  - { name: X, desk: it }\n',
    );
    const run = start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', HELPDESK_CONFIG: file });
    expect(await run.exited).toBe(1);
    expect(run.stderr.join('')).toContain('desks[0].channel: must be a Slack channel id');
  });

  it('starts on the embedded database, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const run = start({
      SLACK_BOT_TOKEN: 'xoxb-local-only',
      SLACK_SIGNING_SECRET: 'local-secret',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
    });
    try {
      const port = await waitFor('the app to listen', () => {
        const m = /on port (\d+)/.exec(run.stdout.join(''));
        return m ? Number(m[1]) : undefined;
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
      const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        body: 'command=/ticket',
      });
      expect(unsigned.status).toBe(401);

      // A correctly signed body that is not an object used to throw inside Bolt's receiver, where
      // nothing caught it, and stop the process.
      for (const [body, type] of [
        ['payload=null', 'application/x-www-form-urlencoded'],
        ['null', 'application/json'],
      ] as const) {
        const timestamp = Math.floor(Date.now() / 1000);
        const signed = await fetch(`http://127.0.0.1:${port}/slack/events`, {
          method: 'POST',
          headers: {
            'content-type': type,
            'x-slack-request-timestamp': String(timestamp),
            'x-slack-signature': slackSignature('local-secret', timestamp, body),
          },
          body,
        });
        expect(signed.status).toBe(400);
      }
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const out = run.stdout.join('');
      expect(out).toContain('"database":"pglite"');
      expect(out).toContain('Folio stopped');
      expect(out).not.toContain('xoxb-local-only');
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
