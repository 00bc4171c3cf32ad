import { LogLevel, WebAPIHTTPError, WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FileRef } from '../../src/domain/files.js';
import { SlackFileContent } from '../../src/slack/kit/fileContent.js';
import { MEMBER_CACHE_TTL_MS, SlackMemberLookup } from '../../src/slack/kit/memberLookup.js';
import { FAKE_BOT, FAKE_BOT_TOKEN, FakeSlack, FILE_ROUTES, type SlackFile } from '../harness/fakeSlack.js';

/**
 * The Slack side of the mail channel's ports, through the real Web API client against the fake over
 * HTTP: a member found by address (cached), a Slack file's bytes downloaded with the bot token, and
 * the fake's upload flow as @slack/web-api's files.uploadV2 drives it.
 */

let fake: FakeSlack;

beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function client(token = FAKE_BOT_TOKEN): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
}

const refOf = (file: SlackFile): FileRef => ({
  slackFileId: file.id,
  name: file.name,
  mimetype: file.mimetype,
  size: file.size,
  permalink: file.permalink,
});

describe('SlackMemberLookup', () => {
  it('finds a member by address, case aside, and asks Slack once while the answer is fresh', async () => {
    fake.setUserEmail('U_REQ_RITA', 'rita@acme.test');
    let now = 1_000_000;
    const members = new SlackMemberLookup(client(), { now: () => now });

    expect(await members.byEmail('Rita@Acme.test')).toBe('U_REQ_RITA');
    expect(await members.byEmail('rita@acme.test')).toBe('U_REQ_RITA');
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(1);

    now += MEMBER_CACHE_TTL_MS;
    expect(await members.byEmail('rita@acme.test')).toBe('U_REQ_RITA');
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(2);
  });

  it('answers null for an address no member has, and remembers that too', async () => {
    const members = new SlackMemberLookup(client());
    expect(await members.byEmail('contractor@elsewhere.example')).toBeNull();
    expect(await members.byEmail('contractor@elsewhere.example')).toBeNull();
    const calls = fake.callsTo('users.lookupByEmail');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.answer).toMatchObject({ ok: false, error: 'users_not_found' });
  });

  it('does not take a deactivated account or a bot for a member', async () => {
    fake.setUser('U_GONE_GARY', { deleted: true, profile: { email: 'gary@acme.test' } });
    fake.setUser('U_MONITOR', { is_bot: true, profile: { email: 'alerts@acme.test' } });
    const members = new SlackMemberLookup(client());
    expect(await members.byEmail('gary@acme.test')).toBeNull();
    expect(await members.byEmail('alerts@acme.test')).toBeNull();
  });

  it('throws other failures and does not remember them, so a later mail asks again', async () => {
    fake.setUserEmail('U_REQ_RITA', 'rita@acme.test');
    fake.fail('users.lookupByEmail', { kind: 'error', error: 'missing_scope' });
    const members = new SlackMemberLookup(client());
    await expect(members.byEmail('rita@acme.test')).rejects.toBeInstanceOf(Error);
    expect(await members.byEmail('rita@acme.test')).toBe('U_REQ_RITA');
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(2);
  });

  it('shares one call between lookups of the same address at the same time', async () => {
    fake.setUserEmail('U_REQ_RITA', 'rita@acme.test');
    const members = new SlackMemberLookup(client());
    const answers = await Promise.all([1, 2, 3].map(() => members.byEmail('rita@acme.test')));
    expect(answers).toEqual(['U_REQ_RITA', 'U_REQ_RITA', 'U_REQ_RITA']);
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(1);
  });

  it('forgets the least recently used address beyond its size', async () => {
    fake.setUserEmail('U_A', 'a@acme.test');
    fake.setUserEmail('U_B', 'b@acme.test');
    fake.setUserEmail('U_C', 'c@acme.test');
    const members = new SlackMemberLookup(client(), { maxEntries: 2 });
    await members.byEmail('a@acme.test');
    await members.byEmail('b@acme.test');
    await members.byEmail('a@acme.test'); // a is now the most recently used
    await members.byEmail('c@acme.test'); // b goes
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(3);
    await members.byEmail('a@acme.test');
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(3);
    await members.byEmail('b@acme.test');
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(4);
  });
});

describe('SlackFileContent', () => {
  const source = () => new SlackFileContent(client(), FAKE_BOT_TOKEN);

  it('reads a file’s bytes with the bot token', async () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]);
    const file = fake.addFile({ name: 'invoice.pdf', content: bytes, mimetype: 'application/pdf' });
    expect(await source().read(refOf(file), 1024)).toEqual({
      kind: 'content',
      content: bytes,
      mimetype: 'application/pdf',
    });
    const [download] = fake.callsTo(FILE_ROUTES.download);
    expect(download?.token).toBe(FAKE_BOT_TOKEN);
  });

  it('says too_large from the file’s size, without downloading it', async () => {
    const file = fake.addFile({ name: 'backup.zip', content: Buffer.alloc(2048, 1) });
    expect(await source().read(refOf(file), 1024)).toEqual({ kind: 'too_large', size: 2048 });
    expect(fake.callsTo(FILE_ROUTES.download)).toHaveLength(0);
  });

  it('stops a download that runs past the limit although Slack declared a smaller size', async () => {
    const file = fake.addFile({ name: 'growing.log', content: Buffer.alloc(4096, 7) });
    fake.on('files.info', () => ({ file: { ...file, size: 10 } }));
    expect(await source().read(refOf(file), 1024)).toMatchObject({ kind: 'too_large' });
    expect(fake.callsTo(FILE_ROUTES.download)).toHaveLength(1);
  });

  it('says unavailable for a deleted file, an unknown one, and a download Slack refuses', async () => {
    const deleted = fake.addFile({ name: 'old.txt', content: 'gone' });
    fake.deleteFile(deleted.id);
    expect(await source().read(refOf(deleted), 1024)).toEqual({
      kind: 'unavailable',
      reason: 'file_deleted',
    });
    expect(await source().read({ ...refOf(deleted), slackFileId: 'F_NEVER' }, 1024)).toEqual({
      kind: 'unavailable',
      reason: 'file_not_found',
    });

    // With another token Slack does not answer an error: it sends its sign-in page.
    const file = fake.addFile({ name: 'notes.txt', content: 'hello', mimetype: 'text/plain' });
    const wrongToken = new SlackFileContent(client(), 'xoxb-some-other-token');
    expect(await wrongToken.read(refOf(file), 1024)).toEqual({
      kind: 'unavailable',
      reason: 'Slack answered with a sign-in page instead of the file',
    });
  });

  it('throws what may pass (a 500 on the download), for the caller to retry', async () => {
    const file = fake.addFile({ name: 'notes.txt', content: 'hello', mimetype: 'text/plain' });
    fake.fail(FILE_ROUTES.download, { kind: 'server_error' });
    await expect(source().read(refOf(file), 1024)).rejects.toThrow(/HTTP 500/);
    expect(await source().read(refOf(file), 1024)).toMatchObject({ kind: 'content' });
  });

  it('never sends the bot token to an address that is not Slack’s', async () => {
    const file = fake.addFile({ name: 'notes.txt', content: 'hello' });
    fake.on('files.info', () => ({
      file: { ...file, url_private_download: 'https://attacker.example/steal' },
    }));
    expect(await source().read(refOf(file), 1024)).toEqual({
      kind: 'unavailable',
      reason: 'not a Slack address: https://attacker.example/steal',
    });
    expect(fake.callsTo(FILE_ROUTES.download)).toHaveLength(0);
  });
});

describe('the fake’s upload flow, as files.uploadV2 drives it', () => {
  it('takes the bytes at its upload URL and shares the file in a thread', async () => {
    const parent = fake.seedMessage('C_IT_DESK', { user: FAKE_BOT.userId, text: 'TKT001: card' });
    const bytes = Buffer.from('%PDF-1.7 binary \u0000\u00ff bytes');
    const answer = await client().files.uploadV2({
      channel_id: 'C_IT_DESK',
      thread_ts: parent.ts,
      file: bytes,
      filename: 'report.pdf',
      title: 'report.pdf',
      initial_comment: 'Attached',
    });
    expect(answer.ok).toBe(true);
    expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(fake.callsTo(FILE_ROUTES.upload)).toHaveLength(1);
    expect(fake.callsTo('files.completeUploadExternal')).toHaveLength(1);

    const [upload] = fake.uploads;
    expect(upload).toMatchObject({
      name: 'report.pdf',
      bytes: bytes.length,
      channel: 'C_IT_DESK',
      threadTs: parent.ts,
      initialComment: 'Attached',
    });
    expect(upload?.content.equals(bytes)).toBe(true);
    const shared = fake.messagesIn('C_IT_DESK').find((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
    expect(shared).toMatchObject({
      text: 'Attached',
      files: [expect.objectContaining({ id: upload?.fileId })],
    });

    // The uploaded file reads back like any other.
    const info = await client().files.info({ file: upload?.fileId ?? '' });
    expect(info.file).toMatchObject({ name: 'report.pdf', size: bytes.length, mimetype: 'application/pdf' });
  });

  it('keeps a file uploaded to no channel private: recorded, shared nowhere', async () => {
    await client().files.uploadV2({ file: Buffer.from('x'), filename: 'x.txt' });
    expect(fake.uploads).toEqual([expect.objectContaining({ name: 'x.txt', channel: undefined })]);
  });

  it('fails a post to its upload URL as told: the client gives up before completing', async () => {
    fake.fail(FILE_ROUTES.upload, { kind: 'server_error' });
    const error = await client()
      .files.uploadV2({ channel_id: 'C_IT_DESK', file: Buffer.from('x'), filename: 'x.txt' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect(fake.callsTo('files.completeUploadExternal')).toHaveLength(0);
    expect(fake.uploads).toHaveLength(0);
  });

  it('fails completeUploadExternal as told, and completes nothing', async () => {
    fake.fail('files.completeUploadExternal', { kind: 'error', error: 'internal_error' });
    const error = await client()
      .files.uploadV2({ channel_id: 'C_IT_DESK', file: Buffer.from('x'), filename: 'x.txt' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect(fake.uploads).toHaveLength(0);
  });
});
