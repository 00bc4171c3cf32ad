import type { types } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openModal } from '../../src/slack/kit/openModal.js';
import { FakeSlack } from '../harness/fakeSlack.js';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await FakeSlack.start();
  client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

const form: types.ModalView = {
  type: 'modal',
  callback_id: 'form',
  title: { type: 'plain_text', text: 'Form' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'ready' } }],
};
const settleAfter = <T>(ms: number, value: () => T) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(value());
      } catch (error) {
        reject(error);
      }
    }, ms),
  );

describe('opening a modal within the trigger’s 3 seconds', () => {
  it('opens the form directly when it is ready quickly', async () => {
    await openModal(
      client,
      fake.newTriggerId(),
      settleAfter(50, () => form),
      500,
    );
    expect(fake.calls.map((c) => c.method)).toEqual(['views.open']);
    expect(fake.lastView()?.callback_id).toBe('form');
  });

  it('opens a loading view at once when the form is slow, then replaces it', async () => {
    const trigger = fake.newTriggerId();
    await openModal(
      client,
      trigger,
      settleAfter(800, () => form),
      200,
    );
    expect(fake.calls.map((c) => c.method)).toEqual(['views.open', 'views.update']);
    const [open, update] = fake.calls;
    expect(JSON.stringify(open?.args.view)).toContain('Loading');
    expect(open?.args.trigger_id).toBe(trigger);
    expect(update?.args.view_id).toBe((open?.answer?.view as { id?: string } | undefined)?.id);
    expect(update?.args.hash).toBeDefined(); // refuses to overwrite a view changed meanwhile
    expect(fake.lastView()?.callback_id).toBe('form');
  });

  it('says sorry in the modal when the form cannot be built', async () => {
    const failing = settleAfter(400, () => {
      throw new Error('database unavailable');
    });
    await expect(openModal(client, fake.newTriggerId(), failing, 100)).rejects.toThrow(
      'database unavailable',
    );
    expect(fake.calls.map((c) => c.method)).toEqual(['views.open', 'views.update']);
    expect(JSON.stringify(fake.lastView()?.blocks)).toContain('could not be loaded');
  });
});
