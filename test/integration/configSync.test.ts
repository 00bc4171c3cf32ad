import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHelpdeskConfig } from '../../src/config/desks.js';
import { categories, deskMembers, desks, tickets } from '../../src/db/schema/index.js';
import {
  DeskDirectory,
  findDesk,
  listCategories,
  listDesks,
  replaceMembers,
} from '../../src/desks/directory.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { syncConfig } from '../../src/desks/sync.js';
import { createTicket } from '../../src/tickets/createTicket.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { memoryLogger } from '../support/services.js';

const itDesk = { key: 'it', name: 'IT', channel: 'C_IT', members: ['U_A', 'U_B'], leads: ['U_A'] };
const facilitiesDesk = { key: 'fac', name: 'Facilities', channel: 'C_FAC' };
const laptops = { name: 'Laptops', desk: 'it' };
const base = {
  desks: [itDesk, facilitiesDesk],
  categories: [laptops, { name: 'Building', desk: 'fac' }],
} satisfies HelpdeskConfigInput;

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function sync(config: HelpdeskConfigInput) {
  const { log, lines } = memoryLogger();
  const report = await syncConfig(database.db, parseHelpdeskConfig(config), log);
  return { report, lines };
}

/** What an admin's edit in Slack does to the stored desk. */
async function editInSlack(key: string, set: Partial<typeof desks.$inferInsert>) {
  await database.db
    .update(desks)
    .set({ ...set, updatedBy: 'U_ADMIN' })
    .where(eq(desks.key, key));
}

// One scenario, in order: each step starts from the previous one's state, as restarts do.
describe('the configuration file and edits made in Slack', () => {
  it('creates desks, members and categories from the file', async () => {
    const { report } = await sync(base);
    expect(report.created).toEqual(['desks.it', 'desks.fac', 'categories.Laptops', 'categories.Building']);
    const desk = await findDesk(database.db, 'it');
    expect(desk).toMatchObject({
      name: 'IT',
      channel: 'C_IT',
      members: ['U_A', 'U_B'],
      leads: ['U_A'],
      escalationChannel: 'C_IT',
    });
  });

  it('changes nothing when started again with the same file', async () => {
    const { report } = await sync(base);
    expect(report).toEqual({ created: [], updated: [], archived: [], overridden: [] });
  });

  it('keeps an admin’s edit across restarts while the file does not touch that field', async () => {
    await editInSlack('it', { name: 'IT Service Desk', autoCloseAfterDays: 5 });
    await database.db.transaction((tx) =>
      replaceMembers(tx, { key: 'it', members: ['U_A', 'U_B', 'U_C'], leads: ['U_A'] }),
    );
    const { report } = await sync(base);
    expect(report.updated).toEqual([]);
    expect(await findDesk(database.db, 'it')).toMatchObject({
      name: 'IT Service Desk',
      autoCloseAfterDays: 5,
      members: ['U_A', 'U_B', 'U_C'],
    });
  });

  it('applies what the file changes, keeps the other edits, and warns when it overrides one', async () => {
    const changed = {
      ...base,
      desks: [{ ...itDesk, name: 'Information Technology', escalationChannel: 'C_IT_ESC' }, facilitiesDesk],
    } satisfies HelpdeskConfigInput;
    const { report, lines } = await sync(changed);
    expect(report.updated).toEqual(['desks.it']);
    expect(report.overridden).toEqual(['desks.it.name']);
    expect(await findDesk(database.db, 'it')).toMatchObject({
      name: 'Information Technology', // the file changed it: the file wins, with a warning
      escalationChannel: 'C_IT_ESC',
      autoCloseAfterDays: 5, // the file never changed it: the admin's edit stays
      members: ['U_A', 'U_B', 'U_C'],
    });
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.path)).toEqual(['desks.it.name']);
  });

  it('archives a desk and a category removed from the file, keeping their tickets', async () => {
    const building = (await listCategories(database.db)).find((c) => c.name === 'Building');
    const { ticket } = await createTicket(
      {
        db: database.db,
        clock: { now: () => new Date() },
        log: memoryLogger().log,
        outbox: { kick: () => {} },
        directory: new DeskDirectory(),
      },
      {
        subject: 'Leaking roof',
        categoryId: building?.id ?? null,
        requesterId: 'U_R',
        createdBy: 'U_R',
        source: 'api',
      },
    );
    const { report } = await sync({ desks: [itDesk], categories: [laptops] });
    expect(report.archived).toEqual(['desks.fac', 'categories.Building']);
    expect((await listDesks(database.db)).map((d) => d.key)).toEqual(['it']);
    expect((await listCategories(database.db)).map((c) => c.name)).toEqual(['Laptops']);
    const [kept] = await database.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(kept?.deskKey).toBe('fac');
    expect(await database.db.select().from(categories)).toHaveLength(2);
  });

  it('brings an archived desk back when it returns to the file', async () => {
    const { report } = await sync(base);
    expect(report.updated).toEqual(expect.arrayContaining(['desks.fac', 'categories.Building']));
    expect((await listDesks(database.db)).map((d) => d.key).sort()).toEqual(['fac', 'it']);
    expect(await database.db.select().from(deskMembers).where(eq(deskMembers.deskKey, 'fac'))).toEqual([]);
  });
});
