import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmtpSink } from './smtpSink.js';

let sink: SmtpSink;

beforeAll(async () => {
  sink = await SmtpSink.start();
});
afterAll(async () => {
  await sink?.close();
});
beforeEach(() => sink.reset());

const send = (subject: string, o: { envelopeFrom?: string } = {}) =>
  nodemailer.createTransport({ url: sink.url, socketTimeout: 300 }).sendMail({
    from: '"Folio" <it@example.com>',
    to: 'carla@contractor.example',
    subject,
    text: 'Hello',
    headers: { 'X-Long': `${'word '.repeat(30)}end` },
    ...(o.envelopeFrom === undefined
      ? {}
      : { envelope: { from: o.envelopeFrom, to: 'carla@contractor.example' } }),
  });

describe('the SMTP sink', () => {
  it('records what it accepts, parsed, with headers as written', async () => {
    await send('First');
    const mail = await sink.waitFor((m) => m.subject === 'First');
    expect(mail.from).toEqual({ address: 'it@example.com', name: 'Folio' });
    expect(mail.envelope).toEqual({ from: 'it@example.com', to: ['carla@contractor.example'] });
    expect(mail.text.trim()).toBe('Hello');
    expect(mail.header('x-long')).toBe(`${'word '.repeat(30)}end`);
    expect(mail.raw.toString()).toContain('Subject: First');
  });

  it('refuses as many times as told, then accepts', async () => {
    sink.failNext(550, 2, 'data');
    await expect(send('One')).rejects.toMatchObject({ responseCode: 550 });
    await expect(send('Two')).rejects.toMatchObject({ responseCode: 550 });
    await send('Three');
    expect(sink.refusals.map((r) => [r.code, r.stage])).toEqual([
      [550, 'data'],
      [550, 'data'],
    ]);
    expect(sink.messages.map((m) => m.subject)).toEqual(['Three']);
  });

  it('never answers a hung message; the sender times out', async () => {
    sink.hang();
    await expect(send('Hung')).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(sink.hungMessages.map((m) => m.subject)).toEqual(['Hung']);
    expect(sink.messages).toEqual([]);
  });

  it('says what it received when a wait times out', async () => {
    await send('Something else');
    await expect(sink.waitFor((m) => m.subject === 'Never', 100)).rejects.toThrow(
      'received: "Something else"',
    );
  });

  it('forgets everything on reset', async () => {
    await send('Before');
    sink.failNext(451);
    sink.reset();
    await send('After');
    expect(sink.messages.map((m) => m.subject)).toEqual(['After']);
    expect(sink.refusals).toEqual([]);
  });
});
