import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHelpdeskConfig } from '../../src/config/desks.js';
import { desks, ticketEvents } from '../../src/db/schema/index.js';
import { DeskDirectory, deskValues, findDeskByMailbox } from '../../src/desks/directory.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { syncConfig } from '../../src/desks/sync.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { memoryLogger } from '../support/services.js';

const itDesk = { key: 'it', name: 'IT', channel: 'C_IT', mailbox: 'IT@Folio.test' };
const hrDesk = { key: 'hr', name: 'HR', channel: 'G_HR', private: true, mailbox: 'hr@folio.test' };
const facilitiesDesk = { key: 'fac', name: 'Facilities', channel: 'C_FAC' };
const categories = [{ name: 'Laptops', desk: 'it' }];
const base = { desks: [itDesk, hrDesk, facilitiesDesk], categories } satisfies HelpdeskConfigInput;

let database: TestDatabase;
const db = () => database.db;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function sync(config: HelpdeskConfigInput) {
  const { log, lines } = memoryLogger();
  const report = await syncConfig(db(), parseHelpdeskConfig(config), log);
  return { report, warnings: lines.filter((line) => line.level === 'warn') };
}

async function mailboxes(): Promise<Record<string, string | null>> {
  const rows = await db()
    .select({ key: desks.key, mailbox: desks.mailbox })
    .from(desks)
    .orderBy(asc(desks.key));
  return Object.fromEntries(rows.map((row) => [row.key, row.mailbox]));
}

/** What an admin's edit of the mailbox in Slack leaves in the row. */
async function editInSlack(key: string, mailbox: string | null) {
  await db().update(desks).set({ mailbox, updatedBy: 'U_ADMIN' }).where(eq(desks.key, key));
}

/** A fresh directory each time: what a process reads once its cache has expired. */
const deskFor = async (address: string) => (await new DeskDirectory().deskByMailbox(db(), address))?.key;

// One scenario, in order: each step starts from the previous one's state, as restarts do.
describe('desk mailboxes from the file, in the database and the directory', () => {
  it('stores each desk’s mailbox in lower case and finds the desk by it in any case', async () => {
    const { report } = await sync(base);
    expect(report.created).toEqual(['desks.it', 'desks.hr', 'desks.fac', 'categories.Laptops']);
    expect(await mailboxes()).toEqual({ fac: null, hr: 'hr@folio.test', it: 'it@folio.test' });

    const directory = new DeskDirectory();
    expect((await directory.deskByMailbox(db(), 'it@folio.test'))?.key).toBe('it');
    expect((await directory.deskByMailbox(db(), ' IT@FOLIO.test '))?.mailbox).toBe('it@folio.test');
    expect(await directory.deskByMailbox(db(), 'facilities@folio.test')).toBeUndefined();
    expect(await directory.isMailbox(db(), 'HR@folio.test')).toBe(true);
    expect(await directory.isMailbox(db(), 'it@folio.test.evil.example')).toBe(false);
    expect(await directory.mailboxes(db())).toEqual(['hr@folio.test', 'it@folio.test']);
    expect((await findDeskByMailbox(db(), 'It@Folio.Test'))?.key).toBe('it');
    expect((await directory.desk(db(), 'fac'))?.mailbox).toBeNull();
  });

  it('keeps what it read for its time to live; an edit in this process is seen at once', async () => {
    const directory = new DeskDirectory(60_000);
    expect(await directory.isMailbox(db(), 'help@folio.test')).toBe(false);
    await editInSlack('fac', 'help@folio.test');
    expect(await directory.isMailbox(db(), 'help@folio.test')).toBe(false);
    directory.invalidate(); // what every administration use case does after its commit
    expect((await directory.deskByMailbox(db(), 'help@folio.test'))?.key).toBe('fac');
    await editInSlack('fac', null);
  });

  it('changes nothing when started again with the same file', async () => {
    expect((await sync(base)).report).toEqual({ created: [], updated: [], archived: [], overridden: [] });
  });

  it('swaps two desks’ addresses in one change of the file', async () => {
    const swapped = {
      desks: [
        { ...itDesk, mailbox: 'hr@folio.test' },
        { ...hrDesk, mailbox: 'it@folio.test' },
        facilitiesDesk,
      ],
      categories,
    };
    const { report, warnings } = await sync(swapped);
    expect(report).toEqual({ created: [], updated: ['desks.it', 'desks.hr'], archived: [], overridden: [] });
    expect(warnings).toEqual([]);
    expect(await mailboxes()).toEqual({ fac: null, hr: 'it@folio.test', it: 'hr@folio.test' });
    expect(await deskFor('it@folio.test')).toBe('hr');
    await sync(base);
    expect(await mailboxes()).toEqual({ fac: null, hr: 'hr@folio.test', it: 'it@folio.test' });
  });

  it('keeps an admin’s mailbox across restarts while the file does not change that field', async () => {
    await editInSlack('fac', 'facilities@folio.test');
    await editInSlack('it', 'helpdesk@folio.test');
    const { report, warnings } = await sync(base);
    expect(report.updated).toEqual([]);
    expect(warnings).toEqual([]);
    expect(await mailboxes()).toEqual({
      fac: 'facilities@folio.test',
      hr: 'hr@folio.test',
      it: 'helpdesk@folio.test',
    });
  });

  it('lets the file change a mailbox an admin set, and says so', async () => {
    const changed = {
      desks: [{ ...itDesk, mailbox: 'it-support@folio.test' }, hrDesk, facilitiesDesk],
      categories,
    };
    const { report, warnings } = await sync(changed);
    expect(report.overridden).toEqual(['desks.it.mailbox']);
    expect(warnings.map((line) => line.path)).toEqual(['desks.it.mailbox']);
    expect(await mailboxes()).toEqual({
      fac: 'facilities@folio.test', // the file never changed it: the admin's edit stays
      hr: 'hr@folio.test',
      it: 'it-support@folio.test',
    });
  });

  it('gives the file’s desk an address an admin gave another desk; that desk gets the file’s own back', async () => {
    const changed = {
      desks: [
        { ...itDesk, mailbox: 'it-support@folio.test' },
        { ...hrDesk, mailbox: 'facilities@folio.test' },
        facilitiesDesk,
      ],
      categories,
    };
    const { report, warnings } = await sync(changed);
    expect(report.updated).toEqual(['desks.hr', 'desks.fac']);
    expect(report.overridden).toEqual(['desks.fac.mailbox']);
    expect(warnings.map((line) => [line.path, line.msg ?? line.message])).toEqual([
      [
        'desks.fac.mailbox',
        'Configuration file: the file gives facilities@folio.test to the desk "hr", replacing the mailbox an admin set in Slack for the desk "fac" (now none)',
      ],
    ]);
    expect(await mailboxes()).toEqual({
      fac: null,
      hr: 'facilities@folio.test',
      it: 'it-support@folio.test',
    });
    const events = await db()
      .select({ deskKey: ticketEvents.deskKey, data: ticketEvents.data })
      .from(ticketEvents)
      .where(eq(ticketEvents.type, 'desk.updated'))
      .orderBy(asc(ticketEvents.id));
    expect(events.slice(-2)).toEqual([
      { deskKey: 'hr', data: { by: 'configuration file', fields: ['mailbox'] } },
      { deskKey: 'fac', data: { by: 'configuration file', fields: ['mailbox'] } },
    ]);
  });

  it('takes an address from a desk made in Slack when the file gives it to one of its desks', async () => {
    const ops = parseHelpdeskConfig({
      desks: [{ key: 'ops', name: 'Ops', mailbox: 'ops@folio.test' }],
      categories: [{ name: 'Ops', desk: 'ops' }],
    }).desks[0];
    if (!ops) throw new Error('no desk');
    await db()
      .insert(desks)
      .values({ key: 'ops', ...deskValues(ops), origin: 'slack', fileSnapshot: null });
    expect(await deskFor('ops@folio.test')).toBe('ops');

    const changed = {
      desks: [
        { ...itDesk, mailbox: 'ops@folio.test' },
        { ...hrDesk, mailbox: 'facilities@folio.test' },
        facilitiesDesk,
      ],
      categories,
    };
    const { report } = await sync(changed);
    expect(report.updated).toEqual(['desks.it', 'desks.ops']);
    expect(report.overridden).toEqual(['desks.ops.mailbox']);
    expect(await mailboxes()).toEqual({
      fac: null,
      hr: 'facilities@folio.test',
      it: 'ops@folio.test',
      ops: null,
    });
    expect(await deskFor('ops@folio.test')).toBe('it');
  });

  it('frees the address of a desk removed from the file, for a desk the same file adds', async () => {
    const changed = {
      desks: [
        { key: 'helpdesk', name: 'Helpdesk', mailbox: 'ops@folio.test' },
        { ...hrDesk, mailbox: 'facilities@folio.test' },
        facilitiesDesk,
      ],
      categories: [{ name: 'Laptops', desk: 'helpdesk' }],
    };
    const { report } = await sync(changed);
    expect(report.created).toEqual(['desks.helpdesk']);
    expect(report.archived).toEqual(['desks.it']);
    expect(await mailboxes()).toMatchObject({ helpdesk: 'ops@folio.test', it: null });
    expect(await deskFor('ops@folio.test')).toBe('helpdesk');
  });

  it('never finds an archived desk by its mailbox', async () => {
    await db().update(desks).set({ archivedAt: new Date() }).where(eq(desks.key, 'hr'));
    expect(await deskFor('facilities@folio.test')).toBeUndefined();
    expect(await findDeskByMailbox(db(), 'facilities@folio.test')).toBeUndefined();
    expect(await new DeskDirectory().mailboxes(db())).toEqual(['ops@folio.test']);
    await db().update(desks).set({ archivedAt: null }).where(eq(desks.key, 'hr'));
  });

  it('reads a file snapshot written before desks had mailboxes as having none', async () => {
    await db().execute(sql`update desks set file_snapshot = file_snapshot - 'mailbox' where key = 'fac'`);
    const changed = {
      desks: [
        { key: 'helpdesk', name: 'Helpdesk', mailbox: 'ops@folio.test' },
        { ...hrDesk, mailbox: 'facilities@folio.test' },
        { ...facilitiesDesk, mailbox: 'fac@folio.test' },
      ],
      categories: [{ name: 'Laptops', desk: 'helpdesk' }],
    };
    const { report, warnings } = await sync(changed);
    expect(report).toEqual({ created: [], updated: ['desks.fac'], archived: [], overridden: [] });
    expect(warnings).toEqual([]);
    expect(await deskFor('fac@folio.test')).toBe('fac');
  });
});
