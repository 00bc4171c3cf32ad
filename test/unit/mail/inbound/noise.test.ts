import { describe, expect, it } from 'vitest';
import {
  automaticKind,
  bounceReport,
  type ContentType,
  type HeaderFields,
  headerFields,
  messageIds,
} from '../../../../src/mail/inbound/noise.js';

const fields = (...lines: string[]): HeaderFields =>
  headerFields(lines.map((line) => ({ key: line.slice(0, line.indexOf(':')).toLowerCase(), line })));

const plain: ContentType = { value: 'text/plain', params: { charset: 'utf-8' } };
const person = 'jane@example.net';

describe('automaticKind', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'auto_reply'],
    ['Auto-Submitted: auto-generated (vacation)', 'auto_reply'],
    ['Precedence: auto_reply', 'auto_reply'],
    ['X-Autoreply: yes', 'auto_reply'],
    ['X-Autorespond: Out of office', 'auto_reply'],
    ['X-Auto-Response-Suppress: All', 'auto_reply'],
    ['X-Auto-Response-Suppress: DR, OOF', 'auto_reply'],
    ['X-Auto-Response-Suppress: AutoReply', 'auto_reply'],
    ['Precedence: bulk', 'bulk'],
    ['Precedence: List', 'bulk'],
    ['Precedence: junk', 'bulk'],
    ['List-Id: Announcements <announce.example.net>', 'bulk'],
    ['List-Unsubscribe: <mailto:leave@example.net>', 'bulk'],
  ])('%s → %s', (line, kind) => {
    expect(automaticKind(fields('Subject: hi', line), person, plain)).toBe(kind);
  });

  it.each([
    'Auto-Submitted: no',
    'Auto-Submitted: No (a person wrote this)',
    'Precedence: first-class',
    'X-Auto-Response-Suppress: DR, RN, NRN',
  ])('a person’s mail with %s is no automatic mail', (line) => {
    expect(automaticKind(fields('Subject: hi', line), person, plain)).toBeNull();
  });

  it('a mail without any such field is a person’s', () => {
    expect(automaticKind(fields('Subject: printer', 'To: it@folio.example.com'), person, plain)).toBeNull();
  });

  it('a delivery report, or a mail from a mailer-daemon or postmaster, is a bounce', () => {
    const report: ContentType = { value: 'multipart/report', params: { 'report-type': 'delivery-status' } };
    expect(automaticKind(fields('Subject: x'), 'someone@example.net', report)).toBe('bounce');
    expect(automaticKind(fields('Subject: x'), 'MAILER-DAEMON@mx.example.net', plain)).toBe('bounce');
    expect(automaticKind(fields('Subject: x'), 'postmaster@example.net', plain)).toBe('bounce');
    // Even when marked auto-submitted, as bounces are.
    expect(automaticKind(fields('Auto-Submitted: auto-replied'), 'mailer-daemon@x.example', plain)).toBe(
      'bounce',
    );
  });

  it('another report (a read receipt) is an automatic answer, not a bounce', () => {
    const receipt: ContentType = {
      value: 'multipart/report',
      params: { 'report-type': 'disposition-notification' },
    };
    expect(automaticKind(fields('Subject: Read: printer'), person, receipt)).toBe('auto_reply');
  });
});

describe('messageIds', () => {
  it('takes every bracketed id, or the bare value', () => {
    expect(messageIds('<a@x> <b@y>\r\n <c@z>')).toEqual(['a@x', 'b@y', 'c@z']);
    expect(messageIds(['<a@x>', '<a@x>'])).toEqual(['a@x']);
    expect(messageIds('bare@x')).toEqual(['bare@x']);
    expect(messageIds(undefined)).toEqual([]);
    expect(messageIds('  ')).toEqual([]);
  });
});

describe('bounceReport', () => {
  it('reads the returned message/rfc822 and the delivery status', () => {
    const report = bounceReport({
      headers: fields('Message-ID: <bounce.1@mx.example.net>'),
      text: 'Delivery failed.',
      parts: [
        {
          contentType: 'message/delivery-status',
          content: Buffer.from(
            [
              'Reporting-MTA: dns; mx.example.net',
              '',
              'Final-Recipient: rfc822; gone@example.net',
              'Action: failed',
              'Status: 5.2.2 (mailbox full)',
              'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
              '',
              'Final-Recipient: rfc822; other@example.net',
              'Action: failed',
              'Status: 5.1.1',
              '',
            ].join('\r\n'),
          ),
        },
        {
          contentType: 'message/rfc822',
          content: Buffer.from(
            'From: it@folio.example.com\r\nMessage-ID:\r\n <reply.7@folio.example.com>\r\n\r\nbody\r\nMessage-ID: <not-a-header@x>\r\n',
          ),
        },
      ],
    });
    expect(report).toEqual({
      originalMessageIds: ['reply.7@folio.example.com'],
      status: '5.2.2',
      diagnostic: '552 5.2.2 Mailbox full',
    });
  });

  it('falls back on X-Original-Message-ID and on a Message-ID quoted in the text', () => {
    const report = bounceReport({
      headers: fields(
        'Message-ID: <bounce.2@mx.example.net>',
        'X-Original-Message-ID: <tkt1.created@folio.example.com>',
      ),
      text: [
        'Hi. This is the qmail-send program at mx.example.net.',
        "I'm afraid I wasn't able to deliver your message.",
        '--- Below this line is a copy of the message.',
        '',
        'From: it@folio.example.com',
        'Message-ID: <tkt1.reply.3@folio.example.com>',
      ].join('\n'),
      parts: [],
    });
    expect(report).toEqual({
      originalMessageIds: ['tkt1.created@folio.example.com', 'tkt1.reply.3@folio.example.com'],
      status: null,
      diagnostic: null,
    });
  });
});
