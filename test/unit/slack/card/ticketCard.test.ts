import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { deskActions } from '../../../../src/slack/card/ticketActions.js';
import { ticketCard, UNVERIFIED_SENDER_FLAG } from '../../../../src/slack/card/ticketCard.js';
import { makeAttachment, makeDetails } from '../../fixtures.js';

const OPENED = '<!date^1772442900^{date_short_pretty} at {time}|2026-03-02 09:15 UTC>';

/** Every mrkdwn text in a block tree: what Slack parses for mentions and links. */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (node === null || typeof node !== 'object') return [];
  const own = 'type' in node && node.type === 'mrkdwn' && 'text' in node && typeof node.text === 'string';
  return [...(own ? [String(node.text)] : []), ...Object.values(node).flatMap(mrkdwnTexts)];
}

function header(blocks: types.KnownBlock[]): string {
  const [first] = blocks;
  if (first?.type !== 'header') throw new Error('the card does not start with a header');
  return first.text.text;
}

function fields(blocks: types.KnownBlock[]): string[] {
  const block = blocks.find((b): b is types.SectionBlock => b.type === 'section' && b.fields !== undefined);
  return (block?.fields ?? []).map((f) => f.text);
}

const sectionTexts = (blocks: types.KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
const contextTexts = (blocks: types.KnownBlock[]) =>
  blocks.flatMap((b) =>
    b.type === 'context' ? b.elements.flatMap((e) => ('text' in e ? [e.text] : [])) : [],
  );

const length = (text: string) => Array.from(text).length;

describe('ticketCard', () => {
  it('renders a new unassigned ticket', () => {
    expect(ticketCard(makeDetails())).toEqual({
      text: 'TKT001: Printer on the 3rd floor is jammed (Open, Medium)',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'TKT001 · Printer on the 3rd floor is jammed', emoji: true },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Status*\n:large_green_circle: Open' },
            { type: 'mrkdwn', text: '*Priority*\n:small_orange_diamond: Medium' },
            { type: 'mrkdwn', text: '*Requester*\n<@U_REQ_RITA>' },
            { type: 'mrkdwn', text: '*Assignee*\n_Unassigned: in To assign_' },
            { type: 'mrkdwn', text: '*Category*\nIT' },
            { type: 'mrkdwn', text: '*Desk*\nIT' },
            { type: 'mrkdwn', text: '*SLA due*\n—' },
          ],
        },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `Opened ${OPENED} from /ticket · last activity ${OPENED}` }],
        },
        { type: 'actions', block_id: 'ticket_actions', elements: deskActions(makeDetails().ticket) },
      ],
    });
  });

  it('offers the desk what it can do now: Take on an unassigned ticket, Close once resolved', () => {
    const labels = (d: ReturnType<typeof makeDetails>) =>
      JSON.stringify(ticketCard(d).blocks.at(-1))
        .match(/"text":"([^"]+)"/g)
        ?.map((m) => m.slice(8, -1));
    expect(labels(makeDetails())).toEqual([
      'Take',
      'Assign',
      'Status',
      'Priority',
      'Reply to requester',
      'Snooze',
      'Link a task',
      'Link a ticket',
      'Resolve',
    ]);
    expect(labels(makeDetails({ ticket: { status: 'resolved', assigneeId: 'U_AGENT_BEN' } }))).toEqual([
      'Status',
      'Reply to requester',
      'Link a task',
      'Link a ticket',
      'Close',
    ]);
  });

  it('shows status, priority, assignee and a missing category as they are', () => {
    const card = ticketCard(
      makeDetails({
        ticket: { status: 'waiting', priority: 'urgent', assigneeId: 'U_AGENT_BEN' },
        category: null,
      }),
    );
    expect(fields(card.blocks)).toEqual([
      '*Status*\n:hourglass_flowing_sand: Waiting on requester',
      '*Priority*\n:rotating_light: Urgent',
      '*Requester*\n<@U_REQ_RITA>',
      '*Assignee*\n<@U_AGENT_BEN>',
      '*Category*\n—',
      '*Desk*\nIT',
      '*SLA due*\n—',
    ]);
    expect(card.text).toBe('TKT001: Printer on the 3rd floor is jammed (Waiting on requester, Urgent)');
  });

  it('keeps the header within 150 characters with a 120-character subject and the longest folio', () => {
    const subject = 'S'.repeat(120);
    const folio = `ABCDEFGHIJ${'9'.repeat(9)}`;
    const card = ticketCard(makeDetails({ ticket: { folio, subject } }));
    expect(header(card.blocks)).toBe(`${folio} · ${subject}`);
    expect(length(header(card.blocks))).toBeLessThanOrEqual(150);
  });

  it('cuts a longer subject in the header to 150 characters, ellipsis included', () => {
    const card = ticketCard(makeDetails({ ticket: { subject: 'é'.repeat(300) } }));
    expect(header(card.blocks)).toBe(`TKT001 · ${'é'.repeat(140)}…`);
    expect(length(header(card.blocks))).toBe(150);
  });

  it('escapes everything a person typed, so nothing pings or forges a link', () => {
    const hostile = '<!channel> <@U_CEO> <https://evil.example|Reset password> & co';
    const card = ticketCard(
      makeDetails({
        ticket: { subject: hostile, description: hostile },
        category: { id: 9, name: '<!here> Facilities' },
        desk: { name: 'Ops <#C_ALL> & more' },
        attachments: [makeAttachment({ name: '<!everyone>.pdf', permalink: null })],
      }),
    );
    const texts = [card.text, ...mrkdwnTexts(card.blocks)];
    for (const raw of ['<!channel>', '<@U_CEO>', '<https://evil', '<!here>', '<#C_ALL>', '<!everyone>']) {
      for (const t of texts) expect(t).not.toContain(raw);
    }
    const escaped = '&lt;!channel&gt; &lt;@U_CEO&gt; &lt;https://evil.example|Reset password&gt; &amp; co';
    expect(card.text).toBe(`TKT001: ${escaped} (Open, Medium)`);
    expect(sectionTexts(card.blocks)).toEqual([escaped]);
    expect(fields(card.blocks).slice(4, 6)).toEqual([
      '*Category*\n&lt;!here&gt; Facilities',
      '*Desk*\nOps &lt;#C_ALL&gt; &amp; more',
    ]);
    expect(contextTexts(card.blocks)[0]).toBe(':paperclip: &lt;!everyone&gt;.pdf');
    // The header is plain text: Slack shows it as typed, and it pings nobody.
    expect(header(card.blocks)).toBe(`TKT001 · ${hostile}`);
  });

  it('shows the description, cut at 2900 characters', () => {
    const card = ticketCard(makeDetails({ ticket: { description: 'd'.repeat(5000) } }));
    expect(sectionTexts(card.blocks)).toEqual([`${'d'.repeat(2899)}…`]);
  });

  it('shows no description section when there is none', () => {
    expect(sectionTexts(ticketCard(makeDetails()).blocks)).toEqual([]);
  });

  it('never ends the description in half an escaped character', () => {
    const description = '<b>'.repeat(1500);
    const [text = ''] = sectionTexts(ticketCard(makeDetails({ ticket: { description } })).blocks);
    expect(length(text)).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/(&lt;|b|&gt;)…$/);
  });

  it('lists the attachments, linked when Slack gave a permalink', () => {
    const card = ticketCard(
      makeDetails({
        attachments: [
          makeAttachment(),
          makeAttachment({ id: 2, slackFileId: 'F002', name: 'screen shot.png', permalink: null }),
        ],
      }),
    );
    expect(contextTexts(card.blocks)[0]).toBe(
      ':paperclip: <https://files.slack.test/F001/report.pdf|report.pdf>, screen shot.png',
    );
  });

  it('lists ten attachments and counts the rest', () => {
    const attachments = Array.from({ length: 13 }, (_, i) =>
      makeAttachment({ id: i + 1, slackFileId: `F${i + 1}`, name: `f${i + 1}.txt`, permalink: null }),
    );
    const [files] = contextTexts(ticketCard(makeDetails({ attachments })).blocks);
    expect(files).toBe(
      ':paperclip: f1.txt, f2.txt, f3.txt, f4.txt, f5.txt, f6.txt, f7.txt, f8.txt, f9.txt, f10.txt and 3 more',
    );
  });

  it('links the Slack message a ticket was made from', () => {
    const card = ticketCard(
      makeDetails({
        ticket: {
          source: 'message_shortcut',
          sourcePermalink: 'https://acme.slack.com/archives/C1/p1700000000000100',
          lastActivityAt: new Date('2026-03-03T10:00:00Z'),
        },
      }),
    );
    expect(contextTexts(card.blocks).at(-1)).toBe(
      `Opened ${OPENED} from <https://acme.slack.com/archives/C1/p1700000000000100|a Slack message> · ` +
        'last activity <!date^1772532000^{date_short_pretty} at {time}|2026-03-03 10:00 UTC>',
    );
  });

  it('stays within Slack’s limits with every field at its longest', () => {
    const attachments = Array.from({ length: 40 }, (_, i) =>
      makeAttachment({ id: i, name: `${'<&>'.repeat(60)}.bin`, permalink: `https://files.slack.test/${i}` }),
    );
    const card = ticketCard(
      makeDetails({
        ticket: {
          folio: `ABCDEFGHIJ${'9'.repeat(9)}`,
          subject: '&'.repeat(120),
          description: '&<>'.repeat(20_000),
          assigneeId: 'U_AGENT_ANA',
        },
        category: { id: 1, name: '&'.repeat(75) },
        desk: { name: '<'.repeat(75) },
        attachments,
      }),
    );
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    expect(length(header(card.blocks))).toBeLessThanOrEqual(150);
    expect(fields(card.blocks).length).toBeLessThanOrEqual(10);
    for (const f of fields(card.blocks)) expect(length(f)).toBeLessThanOrEqual(2000);
    for (const t of [...sectionTexts(card.blocks), ...contextTexts(card.blocks)]) {
      expect(length(t)).toBeLessThanOrEqual(3000);
    }
  });
});

describe('ticketCard of a ticket that came by mail', () => {
  const fromContractor = {
    source: 'email',
    requesterId: null,
    requesterEmail: 'carla@contractor.example',
    requesterName: 'Carla Ruiz',
  } as const;

  it('shows the external requester by name and address, and says the ticket came by email from it', () => {
    const card = ticketCard(makeDetails({ ticket: fromContractor }));
    expect(fields(card.blocks)[2]).toBe('*Requester*\nCarla Ruiz (carla@contractor.example)');
    expect(contextTexts(card.blocks).at(-1)).toBe(
      `Opened ${OPENED} by email from carla@contractor.example · last activity ${OPENED}`,
    );
    expect(contextTexts(card.blocks)).not.toContain(UNVERIFIED_SENDER_FLAG);
  });

  it('names a member who wrote by mail with a mention, and the address the mail came from', () => {
    const card = ticketCard(
      makeDetails({
        ticket: { ...fromContractor, requesterId: 'U_REQ_RITA', requesterEmail: 'rita@acme.test' },
      }),
    );
    expect(fields(card.blocks)[2]).toBe('*Requester*\n<@U_REQ_RITA>');
    expect(contextTexts(card.blocks).at(-1)).toContain('by email from rita@acme.test');
  });

  it('flags a sender whose SPF/DKIM/DMARC failed, under the fields, and only then', () => {
    const flagged = ticketCard(makeDetails({ ticket: { ...fromContractor, senderCheck: 'fail' } }));
    const fieldsAt = flagged.blocks.findIndex((b) => b.type === 'section' && b.fields !== undefined);
    expect(flagged.blocks[fieldsAt + 1]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: ':warning: Sender not verified (SPF/DKIM/DMARC failed): treat the From address as unconfirmed.',
        },
      ],
    });
    const verified = ticketCard(makeDetails({ ticket: { ...fromContractor, senderCheck: 'pass' } }));
    expect(contextTexts(verified.blocks)).not.toContain(UNVERIFIED_SENDER_FLAG);
  });

  it('pings nobody and forges nothing with a hostile display name or address', () => {
    const card = ticketCard(
      makeDetails({
        ticket: {
          ...fromContractor,
          requesterName: '<!channel> <@U_CEO> IT',
          requesterEmail: '<!here>@evil.example',
        },
      }),
    );
    for (const text of mrkdwnTexts(card.blocks)) {
      for (const raw of ['<!channel>', '<@U_CEO>', '<!here>']) expect(text).not.toContain(raw);
    }
    expect(fields(card.blocks)[2]).toBe(
      '*Requester*\n&lt;!channel&gt; &lt;@U_CEO&gt; IT (&lt;!here&gt;@evil.example)',
    );
    expect(contextTexts(card.blocks).at(-1)).toContain('by email from &lt;!here&gt;@evil.example');
  });

  it('cuts a From header’s endless name and address to what a field shows', () => {
    const card = ticketCard(
      makeDetails({
        ticket: {
          ...fromContractor,
          requesterName: 'N'.repeat(5000),
          requesterEmail: `${'a'.repeat(5000)}@x`,
        },
      }),
    );
    expect(fields(card.blocks)[2]).toBe(`*Requester*\n${'N'.repeat(99)}… (${'a'.repeat(253)}…)`);
    for (const f of fields(card.blocks)) expect(length(f)).toBeLessThanOrEqual(2000);
  });
});
