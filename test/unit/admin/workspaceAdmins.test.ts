import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CACHE_MS, WorkspaceAdmins } from '../../../src/slack/admin/workspaceAdmins.js';
import { FakeSlack } from '../../harness/fakeSlack.js';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake?.close();
});

describe('WorkspaceAdmins', () => {
  it('reads admins and owners from users.info and remembers the answer for a while', async () => {
    fake.setUser('U_ADA', { is_admin: true });
    fake.setUser('U_OWEN', { is_owner: true });
    fake.setUser('U_GONE', { is_admin: true, deleted: true });
    let now = 1_000_000;
    const admins = new WorkspaceAdmins(
      new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }),
      () => now,
    );
    expect(await Promise.all(['U_ADA', 'U_OWEN', 'U_GONE', 'U_ANA'].map((u) => admins.isAdmin(u)))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(await admins.isAdmin('U_ADA')).toBe(true);
    expect(fake.callsTo('users.info').filter((c) => c.args.user === 'U_ADA')).toHaveLength(1);

    fake.setUser('U_ADA', { is_admin: false });
    now += ADMIN_CACHE_MS;
    expect(await admins.isAdmin('U_ADA')).toBe(false);
    expect(fake.callsTo('users.info').filter((c) => c.args.user === 'U_ADA')).toHaveLength(2);
  });

  it('does not remember a failure, and reads an unknown person as no admin', async () => {
    const admins = new WorkspaceAdmins(
      new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }),
    );
    fake.fail('users.info', { kind: 'error', error: 'internal_error' });
    await expect(admins.isAdmin('U_BEA')).rejects.toThrow();
    fake.setUser('U_BEA', { is_admin: true });
    expect(await admins.isAdmin('U_BEA')).toBe(true);
    fake.fail('users.info', { kind: 'error', error: 'user_not_found' });
    expect(await admins.isAdmin('U_NOBODY')).toBe(false);
  });
});
