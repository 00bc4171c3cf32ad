import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, tickets } from '../../src/db/schema/index.js';
import { transaction } from '../../src/db/tx.js';
import { enqueue } from '../../src/outbox/messages.js';
import { UNVERIFIED_SENDER_FLAG } from '../../src/slack/card/ticketCard.js';
import { createTicket } from '../../src/tickets/createTicket.js';
import { deskFlows } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

/**
 * What the desk sees in Slack of a ticket that came by mail from someone outside the workspace: the
 * card in its channel, the requester's mails mirrored in the card's thread, `/ticket TKT…`.
 */

const DESK = 'C_IT_DESK';
const ANA = 'U_AGENT_ANA';
const CONTRACTOR = { email: 'carla@contractor.example', name: '<!channel> Carla Ruiz' };

const t = useTestFolio();
const { db, settle, card } = deskFlows(t, { desk: DESK, requester: 'U_REQ_RITA' });

/**
 * A ticket as the mail intake makes it: source `email`, its requester known by address only, its sender
 * not verified. createTicket takes Slack requesters only on this branch, so the requester is made
 * external in the database before the card is rendered again.
 */
async function ticketFromMail(subject: string): Promise<{ id: number; folio: string }> {
  await t.folio.relay.stop();
  const { ticket } = await createTicket(t.folio.services, {
    subject,
    categoryId: 2, // IT
    requesterId: 'U_REQ_RITA',
    createdBy: 'U_REQ_RITA',
    source: 'email',
  });
  await transaction(db(), async (tx, afterCommit) => {
    await tx
      .update(tickets)
      .set({
        requesterId: null,
        requesterEmail: CONTRACTOR.email,
        requesterName: CONTRACTOR.name,
        senderCheck: 'fail',
      })
      .where(eq(tickets.id, ticket.id));
    await enqueue(tx, afterCommit, t.folio.relay, [{ kind: 'card.update', ticketId: ticket.id }]);
  });
  t.folio.relay.start();
  await settle();
  return { id: ticket.id, folio: ticket.folio };
}

describe('a ticket that came by mail, in Slack', () => {
  it('has a card that names the sender by address, flags the failed check and pings nobody', async () => {
    const { folio } = await ticketFromMail('VPN access for the audit');
    const shown = JSON.stringify(card(folio).blocks);
    expect(shown).toContain('&lt;!channel&gt; Carla Ruiz (carla@contractor.example)');
    expect(shown).toContain('by email from carla@contractor.example');
    expect(shown).toContain(UNVERIFIED_SENDER_FLAG);
    expect(shown).not.toContain('<!channel>');
    expect(shown).not.toContain('<@null>');
  });

  it('mirrors the requester’s mail in the card’s thread as the requester’s, and a stranger’s as theirs', async () => {
    const { id, folio } = await ticketFromMail('Laptop for the new contractor');
    await transaction(db(), async (tx, afterCommit) => {
      const rows = await tx
        .insert(comments)
        .values([
          { ticketId: id, authorEmail: 'Carla@Contractor.example', body: 'Any news?', visibility: 'public' },
          { ticketId: id, authorEmail: 'boss@contractor.example', body: 'Me too', visibility: 'public' },
        ])
        .returning({ id: comments.id });
      await enqueue(
        tx,
        afterCommit,
        t.folio.relay,
        rows.map((row) => ({ kind: 'comment.mirror' as const, ticketId: id, commentId: row.id })),
      );
    });
    await settle();
    const thread = t.fake
      .messagesIn(DESK)
      .filter((m) => m.thread_ts === card(folio).ts && m.ts !== m.thread_ts);
    expect(thread.map((m) => m.text)).toEqual([
      ':speech_balloon: *Carla@Contractor.example (requester) wrote:*\nAny news?',
      ':email: *boss@contractor.example wrote:*\nMe too',
    ]);
  });

  it('shows a desk member where the ticket came from under /ticket TKT…', async () => {
    const { folio } = await ticketFromMail('Printer toner');
    const res = await t.slack.command({ text: folio, user: ANA });
    const shown = JSON.stringify(res.json);
    expect(shown).toContain('by email from carla@contractor.example');
    expect(shown).toContain(UNVERIFIED_SENDER_FLAG);
  });
});
