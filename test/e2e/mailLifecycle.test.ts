import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, mailMessages, tickets } from '../../src/db/schema/index.js';
import { ACTION } from '../../src/slack/ids.js';
import type { JsonObject } from '../harness/fakeSlack.js';
import { IT_MAILBOX, mailFlows, sendMail, useMailFolio } from '../support/mail.js';

/**
 * A ticket's whole life by mail, through the real app: a contractor outside the workspace writes to
 * the IT desk's mailbox over SMTP, the desk works the ticket from its card in Slack, and what the
 * contractor gets arrives in a local SMTP sink, threaded as their mail client would show it.
 */

const DESK = 'C_IT_DESK';
const ANA = 'U_AGENT_ANA';
const CARLA = 'carla@contractor.example';

const t = useMailFolio();
const {
  db,
  settle,
  ticket,
  card,
  storedComments,
  newMessageId,
  requesterWrites: carlaWrites,
  requesterOpens: carlaOpens,
  mailsToRequester: mailsToCarla,
  lastMailToRequester: lastMailToCarla,
  clickOnCard: click,
  lastModal,
  replyFromCard,
  cardThread,
} = mailFlows(t, { desk: DESK, mailbox: IT_MAILBOX, requester: { address: CARLA, name: 'Carla Ruiz' } });

/** Ana answers the requester from the card. */
const anaReplies = (folio: string, text: string, files?: JsonObject[]) =>
  replyFromCard(folio, ANA, text, files);

const bare = (id: string) => id.replace(/^<(.*)>$/, '$1');

describe('a contractor outside the workspace writes to the IT desk', () => {
  it('opens a ticket of the desk, shows its card, and answers from the desk’s mailbox on their thread', async () => {
    const messageId = newMessageId();
    const answer = await carlaWrites({
      subject: 'VPN token expired',
      text: 'My VPN token stopped working this morning.\n\nCarla',
      messageId,
    });
    expect(answer.code).toBe(250);
    await settle();

    const [row, ...more] = await db().select().from(tickets);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      folio: 'TKT001',
      deskKey: 'it',
      source: 'email',
      status: 'open',
      subject: 'VPN token expired',
      description: 'My VPN token stopped working this morning.\n\nCarla',
      requesterId: null,
      requesterEmail: CARLA,
      requesterName: 'Carla Ruiz',
    });
    const shown = JSON.stringify(card('TKT001').blocks);
    expect(shown).toContain(`by email from ${CARLA}`);
    expect(shown).toContain(`Carla Ruiz (${CARLA})`);

    expect(t.sink.messages).toHaveLength(1);
    const created = lastMailToCarla();
    expect(created.envelope).toEqual({ from: IT_MAILBOX, to: [CARLA] });
    expect(created.from).toEqual({ address: IT_MAILBOX, name: 'IT desk' });
    expect(created.to).toEqual([{ address: CARLA, name: 'Carla Ruiz' }]);
    expect(created.subject).toBe('Re: [TKT001] VPN token expired');
    expect(created.inReplyTo).toBe(bare(messageId));
    expect(created.references).toEqual([bare(messageId)]);
    expect(created.header('Auto-Submitted')).toBe('auto-replied');
    expect(created.text).toContain('TKT001');
    expect(created.text).toContain('Reply to this mail to add to TKT001.');
    // Nobody in Slack is written to as the requester: there is no DM for an address.
    expect(t.fake.callsTo('conversations.open')).toEqual([]);
    expect(t.fake.callsTo('chat.postMessage').map((call) => call.args.channel)).toEqual([DESK]);
  });

  it('mails a responder’s reply from the card on the same thread, and keeps an internal note in Slack', async () => {
    const { folio, messageId, created } = await carlaOpens('Laptop will not boot');
    await click(folio, ANA, ACTION.reply);
    expect(JSON.stringify(t.fake.lastView()?.blocks)).toContain('will get this by mail');
    await anaReplies(folio, 'Hold the power button for 30 seconds, then try again.');

    expect(mailsToCarla()).toHaveLength(2);
    const reply = lastMailToCarla();
    expect(reply.from).toEqual({ address: IT_MAILBOX, name: 'IT desk' });
    expect(reply.subject).toBe(`Re: [${folio}] Laptop will not boot`);
    expect(reply.text).toContain('Hold the power button for 30 seconds, then try again.');
    expect(reply.inReplyTo).toBe(created.messageId);
    expect(reply.references).toEqual([messageId, created.messageId]);
    expect(reply.header('Auto-Submitted')).toBe('auto-replied');
    expect(await ticket(folio)).toMatchObject({ status: 'in_progress' });
    expect(cardThread(folio).map((m) => String(m.text))).toEqual([
      expect.stringContaining('Hold the power button for 30 seconds, then try again.'),
    ]);

    await t.slack.userMessage({
      channel: DESK,
      user: ANA,
      text: 'Probably the SSD again, check the warranty',
      threadTs: card(folio).ts,
    });
    await settle();
    const notes = await db().select().from(comments).where(eq(comments.visibility, 'internal'));
    expect(notes.map((note) => note.body)).toEqual(['Probably the SSD again, check the warranty']);
    expect(mailsToCarla()).toHaveLength(2);
    expect(t.sink.messages.some((mail) => mail.text.includes('SSD'))).toBe(false);
  });
});

describe('the contractor answers by mail', () => {
  /** Carla's answer to the desk's last mail, as her client writes it: her words, a signature, the quote. */
  const answerToLast = (words: string) => {
    const last = lastMailToCarla();
    return carlaWrites({
      subject: `Re: ${last.subject.replace(/^Re: /, '')}`,
      text: [
        words,
        '',
        'Carla',
        '-- ',
        'Carla Ruiz · Contractor Ltd · +34 600 000 000',
        '',
        `On Mon, 2 Mar 2026 at 10:15, IT desk <${IT_MAILBOX}> wrote:`,
        ...last.text.split('\n').map((line) => `> ${line}`),
      ].join('\n'),
      inReplyTo: `<${last.messageId}>`,
      references: [...last.references, last.messageId ?? ''].map((id) => `<${id}>`),
    });
  };

  it('makes a public comment without the quoted history, mirrored to the card, and a Waiting ticket Open', async () => {
    const { folio } = await carlaOpens('Shared drive missing');
    // Ana asks a question: the ticket waits on the requester, who gets the question by mail.
    await click(folio, ANA, ACTION.status);
    const asked = await lastModal()
      .fill('New status', 'Waiting on requester')
      .fill('Question for the requester', 'Which drive letter was it?')
      .submit(t.slack, ANA);
    expect(asked.json).toBeUndefined();
    await settle();
    expect(await ticket(folio)).toMatchObject({ status: 'waiting' });
    expect(lastMailToCarla().text).toContain('Which drive letter was it?');
    const mailsBefore = t.sink.messages.length;

    const answer = await answerToLast('It was the X: drive, with the invoices.');
    expect(answer.code).toBe(250);
    await settle();

    expect(await ticket(folio)).toMatchObject({ status: 'open' });
    const carlasComments = (await storedComments()).filter((c) => c.authorEmail === CARLA);
    expect(carlasComments).toEqual([
      expect.objectContaining({
        authorId: null,
        visibility: 'public',
        body: 'It was the X: drive, with the invoices.\n\nCarla',
      }),
    ]);
    // The whole mail is kept with it: the quote and the signature too.
    const [kept] = await db()
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.messageId, answer.messageId ?? ''));
    expect(kept).toMatchObject({ direction: 'in', commentId: carlasComments[0]?.id, status: 'received' });
    expect(kept?.bodyText).toContain('Contractor Ltd');
    expect(kept?.bodyText).toContain('wrote:');
    expect(kept?.bodyText).toContain('> ');

    const mirrored = cardThread(folio).map((m) => String(m.text));
    expect(mirrored.at(-1)).toContain('It was the X: drive, with the invoices.');
    expect(mirrored.at(-1)).toContain(CARLA);
    // Neither the quoted question nor the signature is copied to the desk.
    expect(mirrored.at(-1)).not.toContain('Which drive letter');
    expect(mirrored.at(-1)).not.toContain('Contractor Ltd');
    // Her own words are not mailed back to her.
    expect(t.sink.messages).toHaveLength(mailsBefore);
  });

  it('reopens a closed ticket', async () => {
    const { folio } = await carlaOpens('Printer offline');
    await click(folio, ANA, ACTION.more, 'resolve');
    await lastModal().fill('Resolution', 'Restarted the print server').submit(t.slack, ANA);
    await settle();
    await click(folio, ANA, ACTION.more, 'close');
    await settle();
    expect(await ticket(folio)).toMatchObject({ status: 'closed' });

    expect((await answerToLast('It is offline again since noon.')).code).toBe(250);
    await settle();

    expect(await ticket(folio)).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null });
    const [last] = (await storedComments()).slice(-1);
    expect(last).toMatchObject({ authorEmail: CARLA, body: 'It is offline again since noon.\n\nCarla' });
    expect(String(cardThread(folio).at(-1)?.text)).toContain('It is offline again since noon.');
  });
});

describe('resolving a ticket of an external requester', () => {
  it('mails the resolution, and offers no Confirm button anywhere', async () => {
    const { folio, created } = await carlaOpens('Cannot print in colour');
    await click(folio, ANA, ACTION.more, 'resolve');
    await lastModal().fill('Resolution', 'The colour cartridge was empty: replaced').submit(t.slack, ANA);
    await settle();

    expect(await ticket(folio)).toMatchObject({ status: 'resolved' });
    expect(mailsToCarla()).toHaveLength(2);
    const resolved = lastMailToCarla();
    expect(resolved.subject).toBe(`Re: [${folio}] Cannot print in colour`);
    expect(resolved.text).toContain(`${folio} is resolved.`);
    expect(resolved.text).toContain('The colour cartridge was empty: replaced');
    expect(resolved.inReplyTo).toBe(created.messageId);
    expect(resolved.header('Auto-Submitted')).toBe('auto-replied');
    // The Confirm / Still broken buttons live in a member's DM: an address has none.
    const everythingSentToSlack = JSON.stringify(t.fake.calls.map((call) => call.args));
    expect(everythingSentToSlack).not.toContain(ACTION.confirm);
    expect(everythingSentToSlack).not.toContain(ACTION.stillBroken);
  });
});

describe('a workspace member writes to the IT desk', () => {
  const RITA = 'U_REQ_RITA';

  it('is the requester as themselves, and hears in Slack, not by mail', async () => {
    t.fake.setUserEmail(RITA, 'rita@folio.test');
    const answer = await sendMail(t.smtpPort, {
      from: 'Rita Requester <Rita@folio.test>',
      to: IT_MAILBOX,
      subject: 'New starter needs a laptop',
      text: 'Marc starts on Monday.',
    });
    expect(answer.code).toBe(250);
    await settle();

    const row = await ticket('TKT001');
    expect(row).toMatchObject({ requesterId: RITA, source: 'email', subject: 'New starter needs a laptop' });
    expect(JSON.stringify(card('TKT001').blocks)).toContain(`*Requester*\\n<@${RITA}>`);
    const dm = t.fake.messagesIn(t.fake.dmChannelOf(RITA));
    expect(dm.map((m) => String(m.text))).toEqual([expect.stringContaining('TKT001')]);
    expect(row.requesterThreadTs).toBe(dm[0]?.ts);

    await anaReplies('TKT001', 'Which model does Marc need?');
    const thread = t.fake
      .messagesIn(t.fake.dmChannelOf(RITA))
      .filter((m) => m.thread_ts === row.requesterThreadTs && m.ts !== row.requesterThreadTs);
    expect(thread.map((m) => String(m.text))).toEqual([
      expect.stringContaining('Which model does Marc need?'),
    ]);
    expect(t.sink.messages).toEqual([]);
  });
});
