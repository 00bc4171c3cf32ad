import { ACTION } from '../../src/slack/ids.js';
import type { Sighting } from './observer.js';
import {
  at,
  CHANNELS,
  DemoError,
  IT_MAILBOX,
  names,
  OUTSIDERS,
  type Outsider,
  PEOPLE,
  type Person,
  type Stage,
} from './stage.js';

/**
 * One morning at the IT desk. Each step is what a person does in Slack, sent to the app as Slack
 * would send it, followed by what everyone sees; each also checks that what should have happened did,
 * so the demo fails loudly (and non-zero) when the app stops doing it.
 */

const { rita, ana, ben, lia } = PEOPLE;
const { dana } = OUTSIDERS;
const DESK = { channel: CHANNELS.desk };
const ESCALATIONS = { channel: CHANNELS.escalations };
type Who = Person | Outsider | { channel: string };

/** Fails the step unless one of `seen` went to `who` and matches every pattern. */
function expectSeen(seen: readonly Sighting[], who: Who, patterns: RegExp[], failure: string): Sighting {
  const found = seen.find((s) => isFor(s, who) && patterns.every((p) => p.test(s.text)));
  if (!found) throw new DemoError(`${failure}${describe(seen)}`);
  return found;
}

/** Fails the step if anything went to `who` (or, without `who`, to anyone). */
function expectNothing(seen: readonly Sighting[], failure: string, who?: Who): void {
  const wrong = seen.filter((s) => who === undefined || isFor(s, who));
  if (wrong.length > 0) throw new DemoError(`${failure}${describe(wrong)}`);
}

function count(seen: readonly Sighting[], who: Who, pattern: RegExp): number {
  return seen.filter((s) => isFor(s, who) && pattern.test(s.text)).length;
}

function isFor(s: Sighting, who: Who): boolean {
  if ('channel' in who) return s.audience.kind === 'channel' && s.audience.id === who.channel;
  if ('address' in who) return s.audience.kind === 'mail' && s.audience.address === who.address;
  return s.audience.kind === 'person' && s.audience.id === who.id;
}

function describe(seen: readonly Sighting[]): string {
  if (seen.length === 0) return ' (nobody saw anything)';
  const who = (s: Sighting) =>
    s.audience.kind === 'person'
      ? names.person(s.audience.id)
      : s.audience.kind === 'mail'
        ? `${names.address(s.audience.address)} (mail)`
        : `#${names.channel(s.audience.id)}`;
  const lines = seen.map((s) => `  - ${who(s)}: ${s.text.split('\n').slice(0, 3).join(' / ')}`);
  return ` What was seen:\n${lines.join('\n')}`;
}

export async function story(s: Stage): Promise<void> {
  // ------------------------------------------------------------------------------------------------
  await s.scene('09:00', 'Rita opens a ticket');
  let trigger = '';
  let seen = await s.does(rita, 'types `/ticket printer on fire` in #general', async () => {
    trigger = await s.command(rita, 'printer on fire');
  });
  expectSeen(
    seen,
    rita,
    [/a modal opens: New ticket/, /printer on fire/],
    'The New ticket modal did not open.',
  );
  const create = s.modal(trigger, 'New ticket');
  seen = await s.does(
    rita,
    'picks the category Hardware, describes the problem and presses [Create]',
    async () => {
      create
        .fill('Category', 'Hardware')
        .fill(
          'Description',
          'The printer by the kitchen on the 3rd floor is smoking and smells of burnt toner.',
        );
      await s.submit(rita, create);
    },
  );
  expectSeen(
    seen,
    DESK,
    [/new message/, /TKT001 · printer on fire/, /\[Take\]/],
    'No card for TKT001 in #it-desk.',
  );
  expectSeen(seen, rita, [/Your request TKT001 is with the IT desk/], 'Rita was not told about TKT001.');

  // ------------------------------------------------------------------------------------------------
  await s.scene('09:05', 'Ana takes it');
  seen = await s.does(ana, 'presses [Take] on the TKT001 card', async () => {
    await s.clickOnCard(ana, 'TKT001', ACTION.take);
  });
  expectSeen(
    seen,
    DESK,
    [/TKT001.*is updated/, /Assignee: @Ana/, /In progress/],
    'The card does not show Ana.',
  );

  // ------------------------------------------------------------------------------------------------
  await s.scene('09:10', 'Ana asks Rita a question');
  seen = await s.does(ana, 'presses [Status] on the card', async () => {
    trigger = await s.clickOnCard(ana, 'TKT001', ACTION.status);
  });
  expectSeen(seen, ana, [/a modal opens: Status of TKT001/], 'The status modal did not open.');
  const status = s.modal(trigger, 'Status of TKT001');
  const question = 'Is it still smoking? If so, please unplug it and keep people away; which model is it?';
  seen = await s.does(
    ana,
    `chooses "Waiting on requester", asks "${question}" and presses [Save]`,
    async () => {
      status.fill('New status', 'Waiting on requester').fill('Question for the requester', question);
      await s.submit(ana, status);
    },
  );
  expectSeen(seen, rita, [/in the TKT001 thread/, /still smoking/], 'Rita did not get the question.');
  expectSeen(seen, DESK, [/Waiting on requester/], 'The card does not say Waiting on requester.');

  // ------------------------------------------------------------------------------------------------
  await s.scene('09:40', 'Rita answers in her DM thread');
  const answer = 'Unplugged, no more smoke. It is the HP LaserJet M507 by the kitchen.';
  seen = await s.does(rita, `writes in the TKT001 thread of her DM with Folio: "${answer}"`, async () => {
    const thread = s.conversation(rita, 'TKT001');
    await s.writeInThread(rita, s.fake.dmChannelOf(rita.id), thread.ts, answer);
  });
  expectSeen(seen, DESK, [/in the TKT001 thread/, /LaserJet M507/], 'Rita’s answer did not reach the desk.');
  expectSeen(seen, DESK, [/TKT001.*is updated/, /Status: 🟢 Open/], 'TKT001 is not Open again.');
  expectNothing(seen, 'Rita should not be sent her own answer.', rita);

  // ------------------------------------------------------------------------------------------------
  await s.scene('09:45', 'Rita opens a second ticket');
  await s.does(rita, 'types `/ticket laptop for our new starter`', async () => {
    trigger = await s.command(rita, 'laptop for our new starter');
  });
  const second = s.modal(trigger, 'New ticket');
  seen = await s.does(rita, 'picks Hardware, priority Low, and presses [Create]', async () => {
    second
      .fill('Category', 'Hardware')
      .fill('Priority', 'Low')
      .fill('Description', 'Sam joins Finance on Wednesday and needs a laptop.');
    await s.submit(rita, second);
  });
  expectSeen(seen, DESK, [/new message/, /TKT002 · laptop for our new starter/], 'No card for TKT002.');

  // ------------------------------------------------------------------------------------------------
  await s.scene('09:50', 'Ben takes TKT002 and snoozes it until the laptops arrive');
  seen = await s.does(ben, 'presses [Take] on the TKT002 card', async () => {
    await s.clickOnCard(ben, 'TKT002', ACTION.take);
  });
  expectSeen(seen, DESK, [/TKT002.*is updated/, /@Ben/], 'The TKT002 card does not show Ben.');
  await s.does(ben, 'presses [Snooze] on the card', async () => {
    trigger = await s.clickOnCard(ben, 'TKT002', ACTION.snooze);
  });
  const snooze = s.modal(trigger, 'Snooze TKT002');
  seen = await s.does(ben, 'sets Until to 10:30 today, writes why, and presses [Snooze]', async () => {
    snooze
      .fill('Until', Math.floor(at('10:30').getTime() / 1000))
      .fill('Reason', 'The courier delivers the laptops at 10:30');
    await s.submit(ben, snooze);
  });
  expectSeen(
    seen,
    DESK,
    [/TKT002.*is updated/, /Snoozed until 2026-11-23 10:30 UTC/],
    'TKT002 is not snoozed.',
  );

  // ------------------------------------------------------------------------------------------------
  await s.scene('10:30', 'TKT002 comes back from snooze', { quiet: true });
  seen = await s.moveTo('10:29', { announce: true });
  expectNothing(seen, 'Something happened before the snooze was over.');
  seen = await s.moveTo('10:30', { announce: true });
  expectSeen(
    seen,
    DESK,
    [/in the TKT002 thread/, /@Ben, TKT002 is back from snooze/],
    'Ben was not told TKT002 is back.',
  );
  expectSeen(seen, DESK, [/TKT002.*is updated/], 'The TKT002 card still shows the snooze.');

  // ------------------------------------------------------------------------------------------------
  await s.scene('11:00', 'An SLA reminder: 75 % of TKT001’s resolution time is used', { quiet: true });
  seen = await s.moveTo('11:00', { announce: true });
  expectSeen(seen, ana, [/SLA due soon/, /TKT001/, /75% of the time used/], 'Ana got no SLA reminder.');
  if (seen.length !== 1) throw new DemoError(`The reminder should reach Ana alone.${describe(seen)}`);

  // ------------------------------------------------------------------------------------------------
  await s.scene('11:30', 'TKT001 breaches its SLA and is escalated', { quiet: true });
  seen = await s.moveTo('11:30', { announce: true });
  for (const [who, name] of [
    [ESCALATIONS, '#it-escalations'],
    [ana, 'Ana'],
    [lia, 'Lia'],
  ] as const) {
    if (count(seen, who, /SLA breached[\s\S]*TKT001/) !== 1)
      throw new DemoError(`${name} should get exactly one breach digest.${describe(seen)}`);
  }
  expectNothing(seen, 'Ben has nothing to do with TKT001’s breach.', ben);
  expectSeen(seen, DESK, [/TKT001.*is updated/, /overdue/], 'The TKT001 card does not show the breach.');

  // ------------------------------------------------------------------------------------------------
  await s.scene('11:40', 'Ana replies to Rita and resolves the ticket');
  await s.does(ana, 'presses [Reply to requester] on the TKT001 card', async () => {
    trigger = await s.clickOnCard(ana, 'TKT001', ACTION.reply);
  });
  const reply = s.modal(trigger, 'Reply on TKT001');
  const words = 'The fuser unit had failed. I replaced it and printed 50 test pages: all clean.';
  seen = await s.does(ana, `writes "${words}" and presses [Send]`, async () => {
    reply.fill('Reply', words);
    await s.submit(ana, reply);
  });
  expectSeen(seen, rita, [/in the TKT001 thread/, /fuser unit/], 'Rita did not get Ana’s reply.');
  await s.does(ana, 'chooses Resolve in the card’s ⋯ menu', async () => {
    trigger = await s.chooseFromMore(ana, 'TKT001', 'Resolve');
  });
  const resolve = s.modal(trigger, 'Resolve TKT001');
  seen = await s.does(ana, 'writes the resolution and presses [Resolve]', async () => {
    resolve.fill('Resolution', 'Replaced the fuser unit; the printer is back in service.');
    await s.submit(ana, resolve);
  });
  expectSeen(seen, rita, [/TKT001 is resolved/, /\[Confirm, it works\]/], 'Rita was not asked to confirm.');
  expectSeen(seen, DESK, [/Resolved/], 'The card does not say Resolved.');

  // ------------------------------------------------------------------------------------------------
  await s.scene('11:50', 'Rita confirms the fix');
  seen = await s.does(rita, 'presses [Confirm, it works] in her DM', async () => {
    await s.clickInDm(rita, s.messageWithButton(rita, 'TKT001', ACTION.confirm), ACTION.confirm);
  });
  expectSeen(seen, rita, [/TKT001 is closed/], 'Rita was not told TKT001 is closed.');
  expectSeen(seen, DESK, [/TKT001.*is updated/, /Closed/], 'The card does not say Closed.');

  // ------------------------------------------------------------------------------------------------
  await s.scene('11:55', 'Lia looks back at TKT001');
  seen = await s.does(lia, 'types `/ticket TKT001`', async () => {
    await s.command(lia, 'TKT001');
  });
  expectSeen(
    seen,
    lia,
    [/History/, /opened it/, /Waiting on requester/, /deadline passed/, /Closed/],
    'The history of TKT001 is not shown.',
  );

  await mailScene(s);
}

/**
 * Dana, a contractor outside the workspace, writes to the desk's mailbox: the ticket reaches the desk
 * like any other, and everything the desk tells her arrives by mail, threaded as one conversation.
 */
async function mailScene(s: Stage): Promise<void> {
  // ------------------------------------------------------------------------------------------------
  await s.scene('12:00', `Dana, a contractor, writes to ${IT_MAILBOX}`);
  let seen = await s.mails(
    dana,
    `writes to ${IT_MAILBOX} from her mail client, with the VPN's log attached`,
    {
      from: { name: dana.fullName, address: dana.address },
      to: IT_MAILBOX,
      subject: 'VPN access for the audit',
      text:
        'Hello,\n\nI am auditing your accounts this week from our own office, and since this morning the ' +
        'VPN refuses my login (its log is attached). Could you have a look?\n\nThanks,\nDana Novak\n' +
        'Northwind Audit',
      attachments: [
        {
          filename: 'vpn-error.log',
          contentType: 'text/plain',
          content:
            '2026-11-23 11:58:02 auth: user dana.novak: certificate expired (valid until 2026-11-22)\n' +
            '2026-11-23 11:58:02 tunnel: connection refused\n',
        },
      ],
      messageId: 'd7c1e0a4.vpn@mail.contractor.example',
      date: at('12:00'),
    },
  );
  expectSeen(
    seen,
    DESK,
    [/new message/, /TKT003 · VPN access for the audit/, /by email from dana@contractor\.example/],
    'No card for Dana’s mail in #it-desk.',
  );
  expectSeen(
    seen,
    DESK,
    [/in the TKT003 thread/, /📎 vpn-error\.log/],
    'The attachment of Dana’s mail is not in the TKT003 thread.',
  );
  // Folio's first mail answers Dana's, so that her client shows one conversation from the start.
  expectSeen(
    seen,
    dana,
    [
      /new mail/,
      /From: IT desk <it@example\.com>/,
      /Subject: Re: \[TKT003\] VPN access for the audit/,
      /In-Reply-To: <d7c1e0a4\.vpn@mail\.contractor\.example>/,
      /Your request TKT003 is with the IT desk/,
    ],
    'Dana got no mail saying TKT003 was opened, in answer to hers.',
  );

  // ------------------------------------------------------------------------------------------------
  await s.scene('12:05', 'Ana answers Dana from the card');
  let trigger = '';
  await s.does(ana, 'presses [Reply to requester] on the TKT003 card', async () => {
    trigger = await s.clickOnCard(ana, 'TKT003', ACTION.reply);
  });
  const reply = s.modal(trigger, 'Reply on TKT003');
  const words =
    'Your VPN certificate expired yesterday. I have issued a new one: open the VPN app, choose ' +
    '"Renew certificate" and sign in again.';
  seen = await s.does(ana, `writes "${words}" and presses [Send]`, async () => {
    reply.fill('Reply', words);
    await s.submit(ana, reply);
  });
  expectSeen(seen, DESK, [/in the TKT003 thread/, /Renew certificate/], 'The desk does not see Ana’s reply.');
  const [first, answer] = s.mailsTo(dana);
  expectSeen(
    seen,
    dana,
    [
      /new mail/,
      /Subject: Re: \[TKT003\]/,
      new RegExp(`In-Reply-To: <${literally(first?.messageId)}>`),
      /Renew certificate/,
    ],
    'Dana did not get Ana’s reply by mail, threaded on the first.',
  );
  if (!answer) throw new DemoError('Ana’s reply is not among Dana’s mails.');

  // ------------------------------------------------------------------------------------------------
  await s.scene('12:20', 'Dana answers by mail');
  const quoted = quote(answer.text);
  seen = await s.mails(
    dana,
    'presses Reply in her mail client, writes two lines above the quoted mail and sends it',
    {
      from: { name: dana.fullName, address: dana.address },
      to: IT_MAILBOX,
      subject: answer.subject.startsWith('Re:') ? answer.subject : `Re: ${answer.subject}`,
      text: `That worked, I am connected again. Thank you!\n\nDana\n\nOn Mon, 23 Nov 2026 at 12:05, IT desk <${IT_MAILBOX}> wrote:\n${quoted}\n`,
      messageId: 'e41b92f3.vpn@mail.contractor.example',
      answering: { messageId: answer.messageId ?? '', references: answer.references },
      date: at('12:20'),
    },
  );
  const comment = expectSeen(
    seen,
    DESK,
    [/in the TKT003 thread/, /That worked, I am connected again/],
    'Dana’s answer did not reach the TKT003 thread.',
  );
  if (/IT desk <it@example\.com> wrote:|^> |Renew certificate/m.test(comment.text))
    throw new DemoError(`Dana’s answer reached the thread with the mail it quotes.${describe([comment])}`);
  expectNothing(seen, 'Dana should not be sent her own answer.', dana);

  // ------------------------------------------------------------------------------------------------
  await s.scene('12:30', 'Ana resolves TKT003');
  await s.does(ana, 'chooses Resolve in the TKT003 card’s ⋯ menu', async () => {
    trigger = await s.chooseFromMore(ana, 'TKT003', 'Resolve');
  });
  const resolve = s.modal(trigger, 'Resolve TKT003');
  seen = await s.does(ana, 'writes the resolution and presses [Resolve]', async () => {
    resolve.fill('Resolution', 'Issued a new VPN certificate; Dana is connected again.');
    await s.submit(ana, resolve);
  });
  expectSeen(seen, DESK, [/Resolved/], 'The TKT003 card does not say Resolved.');
  expectSeen(
    seen,
    dana,
    [
      /new mail/,
      /Subject: Re: \[TKT003\]/,
      /In-Reply-To: <e41b92f3\.vpn@mail\.contractor\.example>/,
      /TKT003 is resolved\. Issued a new VPN certificate/,
    ],
    'Dana did not get the resolved mail, in answer to her last one.',
  );
}

/** Width at which a mail client wraps the lines it quotes (Thunderbird's default, 72). */
const QUOTE_WIDTH = 72;

/** A mail's text quoted as a client quotes it under an answer: `> ` before every line, wrapped. */
function quote(text: string): string {
  const lines: string[] = [];
  for (const line of text.replace(/\s+$/, '').split('\n')) {
    if (line === '') {
      lines.push('>');
      continue;
    }
    let current = '>';
    for (const word of line.split(' ')) {
      if (current !== '>' && current.length + 1 + word.length > QUOTE_WIDTH) {
        lines.push(current);
        current = '>';
      }
      current = `${current} ${word}`;
    }
    lines.push(current);
  }
  return lines.join('\n');
}

/** A text matched literally in a regular expression. */
function literally(text: string | undefined): string {
  return (text ?? '(none)').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
