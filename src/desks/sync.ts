import { eq, inArray, sql } from 'drizzle-orm';
import { type AuditEntry, recordEvents } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { categories, desks } from '../db/schema/index.js';
import { transaction } from '../db/tx.js';
import type { FolioLogger } from '../lib/logger.js';
import {
  type Desk,
  deskValues,
  listCategories,
  listDesks,
  replaceMembers,
  settingsOf,
  toCategory,
} from './directory.js';
import { type MergeResult, mergeFromFile, settleMailboxes, type YieldedMailbox } from './merge.js';
import { type CategorySettings, DESK_FIELDS, type DeskSettings, type HelpdeskConfig } from './model.js';

/**
 * Applies the desks configuration file to the database at start, merged with what admins changed in
 * Slack (see merge.ts for the rule). Entries removed from the file are archived, not deleted: their
 * tickets keep their desk and category. Replicas starting together serialise on an advisory lock.
 */

const SYNC_LOCK = 0x666f6c696f01;

type CategoryFields = Pick<CategorySettings, 'name' | 'desk' | 'owner'>;
const CATEGORY_FIELDS = ['name', 'desk', 'owner'] as const satisfies readonly (keyof CategoryFields)[];

/**
 * The file's last version of a desk, as the merge's base. A snapshot written before a field existed
 * lacks it: it then reads as that field's empty value, which is what the file meant at the time.
 */
function deskBase(snapshot: DeskSettings | null | undefined): DeskSettings | null {
  return snapshot ? { ...snapshot, mailbox: snapshot.mailbox ?? null } : null;
}

/** A desk of the file: what is stored (undefined for a new desk), and what it becomes. */
interface DeskPlan extends MergeResult<DeskSettings> {
  next: DeskSettings;
  current: Desk | undefined;
}

export interface SyncReport {
  created: string[];
  updated: string[];
  archived: string[];
  /**
   * `desks.it.members`: a Slack edit the file's change replaced; `desks.ops.mailbox` also when the file
   * gives the address an admin had set for `ops` to another desk.
   */
  overridden: string[];
}

export async function syncConfig(
  db: Db,
  config: HelpdeskConfig,
  log: FolioLogger,
  now = new Date(),
): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], archived: [], overridden: [] };
  const yielded: YieldedMailbox[] = [];
  await transaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SYNC_LOCK})`);
    const audit: AuditEntry[] = [];
    const stored = new Map((await listDesks(tx, { includeArchived: true })).map((desk) => [desk.key, desk]));
    const snapshots = new Map(
      (await tx.select({ key: desks.key, snap: desks.fileSnapshot }).from(desks)).map((row) => [
        row.key,
        row.snap,
      ]),
    );

    // Each desk of the file merged with what is stored (see merge.ts), before anything is written: a
    // mailbox may move between desks, and one address belongs to one desk at every step.
    const plans = config.desks.map((next): DeskPlan => {
      const current = stored.get(next.key);
      if (!current) return { next, current, value: next, changed: [], overridden: [] };
      return {
        next,
        current,
        ...mergeFromFile(deskBase(snapshots.get(next.key)), settingsOf(current), next, DESK_FIELDS),
      };
    });
    const planOf = new Map(plans.map((plan) => [plan.next.key, plan]));
    const fileDeskKeys = new Set(planOf.keys());
    const archiving = [...snapshots].flatMap(([key, snap]) => {
      const desk = stored.get(key);
      return snap && desk && !desk.archived && !fileDeskKeys.has(key) ? [desk] : [];
    });
    // Desks made in Slack and absent from the file stay as they are, unless the file takes their address.
    const slackOnly = [...stored.values()].filter(
      (desk) => !desk.archived && !fileDeskKeys.has(desk.key) && !archiving.includes(desk),
    );
    const settled = settleMailboxes([
      ...plans.map((plan) => ({ key: plan.next.key, merged: plan.value.mailbox, file: plan.next.mailbox })),
      ...slackOnly.map((desk) => ({ key: desk.key, merged: desk.mailbox, file: undefined })),
    ]);
    for (const moved of settled.yielded) {
      const plan = planOf.get(moved.key);
      if (plan) {
        plan.value = { ...plan.value, mailbox: moved.to };
        if (!plan.changed.includes('mailbox')) plan.changed.push('mailbox');
      }
      report.overridden.push(`desks.${moved.key}.mailbox`);
      yielded.push(moved);
    }
    // The unique index on mailboxes is checked row by row: first release every address that moves.
    const releasing = [...stored.values()].filter((desk) => {
      if (desk.mailbox === null) return false;
      const plan = planOf.get(desk.key);
      // Desks being archived are in neither: they release theirs.
      const final = plan ? plan.value.mailbox : settled.mailboxes.get(desk.key);
      return final !== desk.mailbox;
    });
    if (releasing.length > 0) {
      await tx
        .update(desks)
        .set({ mailbox: null })
        .where(
          inArray(
            desks.key,
            releasing.map((desk) => desk.key),
          ),
        );
    }

    for (const { next, current, value, changed, overridden } of plans) {
      if (!current) {
        await tx
          .insert(desks)
          .values({ key: next.key, ...deskValues(next), origin: 'file', fileSnapshot: next });
        await replaceMembers(tx, next);
        report.created.push(`desks.${next.key}`);
        audit.push({
          deskKey: next.key,
          actorId: null,
          type: 'desk.created',
          data: { by: 'configuration file' },
        });
        continue;
      }
      await tx
        .update(desks)
        .set({
          ...deskValues(value),
          fileSnapshot: next,
          archivedAt: null,
          ...(changed.length ? { updatedAt: now, updatedBy: null } : {}),
        })
        .where(eq(desks.key, next.key));
      if (changed.includes('members') || changed.includes('leads')) await replaceMembers(tx, value);
      if (changed.length > 0 || current.archived) {
        report.updated.push(`desks.${next.key}`);
        audit.push({
          deskKey: next.key,
          actorId: null,
          type: 'desk.updated',
          data: { by: 'configuration file', fields: changed },
        });
      }
      for (const field of overridden) report.overridden.push(`desks.${next.key}.${field}`);
    }
    for (const desk of slackOnly) {
      const mailbox = settled.mailboxes.get(desk.key) ?? null;
      if (mailbox === desk.mailbox) continue;
      // Released above; the row keeps no mailbox.
      await tx.update(desks).set({ updatedAt: now, updatedBy: null }).where(eq(desks.key, desk.key));
      report.updated.push(`desks.${desk.key}`);
      audit.push({
        deskKey: desk.key,
        actorId: null,
        type: 'desk.updated',
        data: { by: 'configuration file', fields: ['mailbox'] },
      });
    }
    for (const desk of archiving) {
      // An archived desk takes no mail: its address is free for another desk.
      await tx
        .update(desks)
        .set({ archivedAt: now, fileSnapshot: null, mailbox: null })
        .where(eq(desks.key, desk.key));
      report.archived.push(`desks.${desk.key}`);
      audit.push({
        deskKey: desk.key,
        actorId: null,
        type: 'desk.archived',
        data: { by: 'configuration file' },
      });
    }

    const storedCategories = await listCategories(tx, { includeArchived: true });
    const categoryRows = await tx.select().from(categories);
    const byName = new Map(storedCategories.map((category) => [category.name.toLowerCase(), category]));
    const snapshotOf = new Map(categoryRows.map((row) => [row.id, row.fileSnapshot]));
    for (const next of config.categories) {
      const fields: CategoryFields = { name: next.name, desk: next.desk, owner: next.owner };
      const current = byName.get(next.name.toLowerCase());
      if (!current) {
        await tx.insert(categories).values({
          name: next.name,
          deskKey: next.desk,
          ownerId: next.owner,
          position: next.position,
          origin: 'file',
          fileSnapshot: fields,
        });
        report.created.push(`categories.${next.name}`);
        continue;
      }
      const merged = mergeFromFile(
        snapshotOf.get(current.id) ?? null,
        { name: current.name, desk: current.desk, owner: current.owner },
        fields,
        CATEGORY_FIELDS,
      );
      await tx
        .update(categories)
        .set({
          name: merged.value.name,
          deskKey: merged.value.desk,
          ownerId: merged.value.owner,
          position: next.position,
          fileSnapshot: fields,
          archivedAt: null,
          ...(merged.changed.length ? { updatedAt: now } : {}),
        })
        .where(eq(categories.id, current.id));
      if (merged.changed.length > 0 || current.archived) report.updated.push(`categories.${next.name}`);
      for (const field of merged.overridden) report.overridden.push(`categories.${next.name}.${field}`);
    }
    const fileCategoryNames = new Set(config.categories.map((category) => category.name.toLowerCase()));
    for (const row of categoryRows) {
      const category = toCategory(row);
      if (row.fileSnapshot && !category.archived && !fileCategoryNames.has(category.name.toLowerCase())) {
        await tx
          .update(categories)
          .set({ archivedAt: now, fileSnapshot: null })
          .where(eq(categories.id, category.id));
        report.archived.push(`categories.${category.name}`);
      }
    }
    await recordEvents(tx, audit);
  });

  for (const moved of yielded) {
    log.warn(
      `Configuration file: the file gives ${moved.from} to the desk "${moved.takenBy}", replacing the mailbox an admin set in Slack for the desk "${moved.key}" (now ${moved.to ?? 'none'})`,
      { path: `desks.${moved.key}.mailbox`, mailbox: moved.from, takenBy: moved.takenBy },
    );
  }
  const yieldedPaths = new Set(yielded.map((moved) => `desks.${moved.key}.mailbox`));
  for (const path of report.overridden.filter((overridden) => !yieldedPaths.has(overridden))) {
    log.warn(`Configuration file: ${path} changed in the file, replacing the value an admin set in Slack`, {
      path,
    });
  }
  if (report.created.length + report.updated.length + report.archived.length > 0) {
    log.info('Desks configuration applied', { ...report });
  }
  return report;
}
