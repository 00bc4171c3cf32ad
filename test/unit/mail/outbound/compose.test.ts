import { describe, expect, it } from 'vitest';
import type { MailFiles } from '../../../../src/mail/outbound/attachments.js';
import {
  composeMail,
  deskSenderName,
  type MailInput,
  mailMessageId,
  recipientOf,
} from '../../../../src/mail/outbound/compose.js';
import { MAIL_REFERENCES_MAX } from '../../../../src/tickets/mailThread.js';
import { type DetailsOverrides, makeDetails } from '../../fixtures.js';

const EXTERNAL = {
  requesterId: null,
  requesterEmail: 'carla@contractor.example',
  requesterName: 'Carla Contractor',
  folio: 'TKT042',
  subject: 'VPN refuses my token',
};

function input(o: Partial<Omit<MailInput, 'details'>> & { details?: DetailsOverrides } = {}): MailInput {
  const { details, ...rest } = o;
  return {
    details: makeDetails({ ...details, ticket: { ...EXTERNAL, ...details?.ticket } }),
    mailbox: 'it@example.com',
    to: { address: 'carla@contractor.example', name: 'Carla Contractor' },
    outboxId: 7,
    thread: { first: null, latest: [] },
    body: { kind: 'notice', template: 'created' },
    ...rest,
  };
}

describe('composeMail', () => {
  it('writes the first mail of a ticket from the desk, unthreaded, with a Message-ID of its outbox row', () => {
    const mail = composeMail(input());
    expect(mail).toMatchObject({
      messageId: 'folio.7.tkt042@example.com',
      from: { address: 'it@example.com', name: 'IT desk' },
      to: { address: 'carla@contractor.example', name: 'Carla Contractor' },
      subject: '[TKT042] VPN refuses my token',
      inReplyTo: null,
      references: [],
      headers: {
        'Auto-Submitted': 'auto-replied',
        'X-Auto-Response-Suppress': 'All',
        'X-Folio-Ticket': 'TKT042',
      },
      attachments: [],
    });
    expect(mail.text).toBe(
      'Thanks! Your request TKT042 is with the IT desk: VPN refuses my token\n' +
        'Reply in this thread to add details or files; the desk’s answers will appear here.\n\n' +
        'Reply to this mail to add to TKT042.\n',
    );
  });

  it('threads a later mail on the latest one and names the first and the latest in References', () => {
    const mail = composeMail(
      input({
        thread: {
          first: 'CAF+orig@mail.contractor.example',
          latest: ['folio.3.tkt042@example.com', 'reply-1@x'],
        },
        body: { kind: 'notice', template: 'resolved' },
      }),
    );
    expect(mail.subject).toBe('Re: [TKT042] VPN refuses my token');
    expect(mail.inReplyTo).toBe('reply-1@x');
    expect(mail.references).toEqual([
      'CAF+orig@mail.contractor.example',
      'folio.3.tkt042@example.com',
      'reply-1@x',
    ]);
  });

  it('answers the first mail when it is the only one', () => {
    const mail = composeMail(input({ thread: { first: 'orig@x', latest: [] } }));
    expect(mail.inReplyTo).toBe('orig@x');
    expect(mail.references).toEqual(['orig@x']);
    expect(MAIL_REFERENCES_MAX).toBe(20);
  });

  it("keeps what people wrote literal: Slack's markup in a subject or a reply pings nobody and links nowhere", () => {
    const mail = composeMail(
      input({
        details: { ticket: { subject: '<!channel> *URGENT* _now_\nsecond line' } },
        body: {
          kind: 'reply',
          author: 'Ana Alves',
          comment: 'See <https://evil.example|your bank> & <@U_AGENT_BEN>',
          files: { attached: [], linked: [] },
        },
      }),
    );
    expect(mail.subject).toBe('[TKT042] <!channel> *URGENT* _now_ second line');
    expect(mail.text).toBe(
      'Ana Alves replied on TKT042:\nSee <https://evil.example|your bank> & <@U_AGENT_BEN>\n\n' +
        'Reply to this mail to add to TKT042.\n',
    );
  });

  it("renders the desk's own template as plain text, naming the people it can", () => {
    const details: DetailsOverrides = {
      ticket: { assigneeId: 'U_AGENT_ANA', status: 'waiting', priority: 'high' },
      desk: {
        name: 'People & HR',
        templates: {
          created:
            'Hello {requester}: *{folio}* ({priority}, {status}) is with {assignee}; ' +
            'see <https://status.example.com|the status page>, or ask <@U_LEAD_LIA>.',
        },
      },
    };
    const named = composeMail(input({ details, names: new Map([['U_AGENT_ANA', 'Ana Alves']]) }));
    expect(named.from.name).toBe('People & HR desk');
    expect(named.text.split('\n')[0]).toBe(
      'Hello Carla Contractor: TKT042 (High, Waiting on requester) is with Ana Alves; ' +
        'see the status page (https://status.example.com), or ask the desk.',
    );
    const unnamed = composeMail(input({ details }));
    expect(unnamed.text.split('\n')[0]).toContain('is with the desk;');
  });

  it('says when the desk aims to answer in the first mail', () => {
    const mail = composeMail(input({ details: { slaDue: new Date('2026-11-23T12:00:00Z') } }));
    expect(mail.text).toContain('\n\nThe desk aims to answer by Monday, 23 November 2026 at 12:00 UTC.\n\n');
  });

  it("attaches a reply's files and lists the ones it could not attach with their links", () => {
    const files: MailFiles = {
      attached: [{ name: 'screenshot.png', content: Buffer.from('png'), mimetype: 'image/png' }],
      linked: [
        {
          name: 'dump.zip',
          permalink: 'https://files.slack.test/F2/dump.zip',
          size: 12 * 1024 * 1024,
          reason: 'too_large',
        },
        {
          name: 'log.txt',
          permalink: 'https://files.slack.test/F3/log.txt',
          size: 9 * 1024 * 1024,
          reason: 'over_total',
        },
        { name: 'gone.pdf', permalink: null, size: null, reason: 'unavailable' },
      ],
    };
    const mail = composeMail(
      input({ body: { kind: 'reply', author: 'Ana Alves', comment: 'Here you go.', files } }),
    );
    expect(mail.attachments).toEqual(files.attached);
    expect(mail.text).toBe(
      'Ana Alves replied on TKT042:\nHere you go.\n\n' +
        'Not attached to this mail:\n' +
        '- dump.zip (12.0 MB, over the 10.0 MB a mail attaches per file): https://files.slack.test/F2/dump.zip\n' +
        '- log.txt (9.0 MB, over the 20.0 MB a mail attaches in all): https://files.slack.test/F3/log.txt\n' +
        '- gone.pdf (it could not be read)\n' +
        'If a link does not open for you, reply to this mail and the desk will send the file another way.\n\n' +
        'Reply to this mail to add to TKT042.\n',
    );
  });
});

describe('mailMessageId', () => {
  it('is the same for every attempt of a row, under the domain of the desk mailbox', () => {
    expect(mailMessageId(12, 'TKT042', 'IT@Example.COM')).toBe('folio.12.tkt042@example.com');
  });
});

describe('deskSenderName', () => {
  it.each([
    ['IT', 'IT desk'],
    ['Service Desk', 'Service Desk'],
  ])('%s → %s', (name, sender) => {
    expect(deskSenderName({ name })).toBe(sender);
  });
});

describe('recipientOf', () => {
  it('is the external requester', () => {
    expect(recipientOf(EXTERNAL)).toEqual({
      to: { address: 'carla@contractor.example', name: 'Carla Contractor' },
    });
    expect(recipientOf({ ...EXTERNAL, requesterName: null })).toEqual({
      to: { address: 'carla@contractor.example', name: '' },
    });
  });

  it('is nobody for a member, who hears in Slack, or for a requester without an address', () => {
    expect(recipientOf({ ...EXTERNAL, requesterId: 'U_REQ_RITA' })).toEqual({
      skipped: 'the requester is in Slack',
    });
    expect(recipientOf({ ...EXTERNAL, requesterEmail: null })).toEqual({
      skipped: 'the requester has no mail address',
    });
  });
});
