import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  categories,
  desks,
  folioCounters,
  outbox,
  ticketEvents,
  tickets,
} from '../../src/db/schema/index.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { FolioError } from '../../src/domain/errors.js';
import { parseFolio } from '../../src/domain/folio.js';
import type { Services } from '../../src/services.js';
import { createTicket, type NewTicket } from '../../src/tickets/createTicket.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { testServices } from '../support/services.js';

const REQUESTER = 'U_REQ_RITA';

/** Desks with every assignment rule, and a desk with its own folio prefix and no channel. */
const CONFIG = {
  desks: [
    {
      key: 'rr',
      name: 'Round robin',
      channel: 'C_RR',
      members: ['U_A', 'U_B', 'U_C'],
      assignment: 'round_robin',
    },
    { key: 'few', name: 'Fewest open', channel: 'C_FEW', members: ['U_D', 'U_E'], assignment: 'fewest_open' },
    { key: 'queue', name: 'Queue only', channel: 'C_QUEUE', members: ['U_F'], assignment: 'none' },
    { key: 'ops', name: 'Operations', folioPrefix: 'OPS', members: [], assignment: 'round_robin' },
  ],
  categories: [
    { name: 'Round', desk: 'rr' },
    { name: 'Owned', desk: 'rr', owner: 'U_OWNER' },
    { name: 'Few', desk: 'few' },
    { name: 'Queue', desk: 'queue' },
    { name: 'Ops', desk: 'ops' },
  ],
} satisfies HelpdeskConfigInput;

let database: TestDatabase;
let services: Services & { lines: Record<string, unknown>[] };
const categoryIds = new Map<string, number>();

beforeAll(async () => {
  database = await openTestDatabase();
  services = await testServices(database, { config: CONFIG });
  for (const c of await database.db.select().from(categories)) categoryIds.set(c.name, c.id);
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await database.resetTickets();
  await database.db.update(desks).set({ lastAssigneeId: null });
});

function ticketIn(category: string, extra: Partial<NewTicket> = {}): NewTicket {
  return {
    subject: `A ${category} request`,
    categoryId: categoryIds.get(category) ?? null,
    requesterId: REQUESTER,
    createdBy: REQUESTER,
    source: 'slash_command',
    ...extra,
  };
}

async function assigneesOf(category: string, n: number) {
  const out: (string | null)[] = [];
  for (let i = 0; i < n; i++) out.push((await createTicket(services, ticketIn(category))).ticket.assigneeId);
  return out;
}

describe('createTicket', () => {
  it('assigns round robin in member order, wrapping around', async () => {
    expect(await assigneesOf('Round', 5)).toEqual(['U_A', 'U_B', 'U_C', 'U_A', 'U_B']);
  });

  it('assigns to the category owner before the desk strategy, without moving the round robin', async () => {
    expect(await assigneesOf('Owned', 2)).toEqual(['U_OWNER', 'U_OWNER']);
    expect(await assigneesOf('Round', 1)).toEqual(['U_A']);
  });

  it('assigns to the member with the fewest open tickets', async () => {
    expect(await assigneesOf('Few', 3)).toEqual(['U_D', 'U_E', 'U_D']);
    // U_D's tickets get resolved: U_D is now the least loaded.
    await database.db.update(tickets).set({ status: 'resolved' }).where(eq(tickets.assigneeId, 'U_D'));
    expect(await assigneesOf('Few', 2)).toEqual(['U_D', 'U_D']);
  });

  it('leaves the ticket in the To assign queue when the desk assigns nobody', async () => {
    expect(await assigneesOf('Queue', 2)).toEqual([null, null]);
  });

  it('writes the audit event and the outbox rows in the same transaction', async () => {
    const { ticket } = await createTicket(services, ticketIn('Round'));
    const events = await database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ticket.created',
      actorId: REQUESTER,
      data: { folio: 'TKT001', desk: 'rr', assignee: 'U_A', assignedBy: 'round_robin', priority: 'medium' },
    });
    const rows = await database.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.map((r) => [r.kind, r.orderingKey ?? r.dedupeKey])).toEqual([
      ['card.post', `card:${ticket.id}`],
      ['requester.notify', `requester:${ticket.id}`],
      // No Home tab refresh: neither the requester nor the assignee has opened theirs.
    ]);
  });

  it('numbers each prefix on its own and posts no card for a desk without a channel', async () => {
    services.lines.length = 0;
    const a = await createTicket(services, ticketIn('Ops'));
    const b = await createTicket(services, ticketIn('Round'));
    const c = await createTicket(services, ticketIn('Ops'));
    expect([a.ticket.folio, b.ticket.folio, c.ticket.folio]).toEqual(['OPS001', 'TKT001', 'OPS002']);
    const kinds = await database.db
      .select({ kind: outbox.kind })
      .from(outbox)
      .where(eq(outbox.ticketId, a.ticket.id));
    expect(kinds.map((k) => k.kind)).toEqual(['requester.notify']);
    // Only the tickets of the desk without a channel are worth a warning.
    const warnings = services.lines.filter((l) => l.level === 'warn').map((l) => l.folio);
    expect(warnings).toEqual(['OPS001', 'OPS002']);
  });

  it('pads folios to three digits and goes on past them', async () => {
    await createTicket(services, ticketIn('Round'));
    await database.db.update(folioCounters).set({ lastNumber: 998 }).where(eq(folioCounters.prefix, 'TKT'));
    const folios = [];
    for (let i = 0; i < 2; i++) folios.push((await createTicket(services, ticketIn('Round'))).ticket.folio);
    expect(folios).toEqual(['TKT999', 'TKT1000']);
    expect(parseFolio('tkt1000')?.folio).toBe('TKT1000');
    const [event] = await database.db
      .select({ data: ticketEvents.data })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(eq(tickets.folio, 'TKT1000'));
    expect(event?.data).toMatchObject({ folio: 'TKT1000' });
  });

  it('gives one ticket for ten concurrent submissions of the same modal, and no gap after it', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        createTicket(services, ticketIn('Queue', { idempotencyKey: 'V_SAME_VIEW' })),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.ticket.folio))).toEqual(new Set(['TKT001']));
    const next = await createTicket(services, ticketIn('Queue'));
    expect(next.ticket.folio).toBe('TKT002');
  });

  it('gives one ticket for the same Slack message turned into a ticket twice', async () => {
    const source = {
      channelId: 'C_GENERAL',
      ts: '1730000000.000100',
      permalink: 'https://acme.slack.com/archives/C_GENERAL/p1730000000000100',
    };
    const [a, b] = await Promise.all([
      createTicket(
        services,
        ticketIn('Queue', { source: 'message_shortcut', sourceMessage: source, idempotencyKey: 'V1' }),
      ),
      createTicket(
        services,
        ticketIn('Queue', { source: 'message_shortcut', sourceMessage: source, idempotencyKey: 'V2' }),
      ),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const loser = a.created ? b : a;
    expect(loser).toMatchObject({ created: false, reason: 'same_message', ticket: { folio: 'TKT001' } });
    expect(await database.db.select().from(tickets)).toHaveLength(1);
  });

  it('refuses bad input with every field error at once, and stores nothing', async () => {
    const attempt = createTicket(
      services,
      ticketIn('Round', { subject: ' ', description: 'x'.repeat(40_001), requesterId: 'nobody' }),
    );
    await expect(attempt).rejects.toBeInstanceOf(FolioError);
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid_input',
      fields: {
        subject: 'Give the ticket a subject.',
        description: 'Keep the description within 40000 characters.',
        requester: 'Choose a person in your Slack workspace.',
      },
    });
    await expect(createTicket(services, ticketIn('Round', { categoryId: 999_999 }))).rejects.toMatchObject({
      fields: { category: 'That category no longer exists: choose another.' },
    });
    expect(await database.db.select().from(tickets)).toHaveLength(0);
  });

  it('keeps the subject on one line', async () => {
    const { ticket } = await createTicket(
      services,
      ticketIn('Round', { subject: '  Printer\n\ton   fire ' }),
    );
    expect(ticket.subject).toBe('Printer on fire');
  });
});
