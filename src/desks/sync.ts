import { eq, sql } from 'drizzle-orm';
import { type AuditEntry, recordEvents } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { categories, desks } from '../db/schema/index.js';
import { transaction } from '../db/tx.js';
import type { FolioLogger } from '../lib/logger.js';
import {
  deskValues,
  listCategories,
  listDesks,
  replaceMembers,
  settingsOf,
  toCategory,
} from './directory.js';
import { mergeFromFile } from './merge.js';
import { type CategorySettings, DESK_FIELDS, type HelpdeskConfig } from './model.js';

/**
 * Applies the desks configuration file to the database at start, merged with what admins changed in
 * Slack (see merge.ts for the rule). Entries removed from the file are archived, not deleted: their
 * tickets keep their desk and category. Replicas starting together serialise on an advisory lock.
 */

const SYNC_LOCK = 0x666f6c696f01;

type CategoryFields = Pick<CategorySettings, 'name' | 'desk' | 'owner'>;
const CATEGORY_FIELDS = ['name', 'desk', 'owner'] as const satisfies readonly (keyof CategoryFields)[];

export interface SyncReport {
  created: string[];
  updated: string[];
  archived: string[];
  /** `desks.it.members`: a Slack edit the file's change replaced. */
  overridden: string[];
}

export async function syncConfig(
  db: Db,
  config: HelpdeskConfig,
  log: FolioLogger,
  now = new Date(),
): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], archived: [], overridden: [] };
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

    for (const next of config.desks) {
      const current = stored.get(next.key);
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
      const merged = mergeFromFile(snapshots.get(next.key) ?? null, settingsOf(current), next, DESK_FIELDS);
      await tx
        .update(desks)
        .set({
          ...deskValues(merged.value),
          fileSnapshot: next,
          archivedAt: null,
          ...(merged.changed.length ? { updatedAt: now, updatedBy: null } : {}),
        })
        .where(eq(desks.key, next.key));
      if (merged.changed.includes('members') || merged.changed.includes('leads'))
        await replaceMembers(tx, merged.value);
      if (merged.changed.length > 0 || current.archived) {
        report.updated.push(`desks.${next.key}`);
        audit.push({
          deskKey: next.key,
          actorId: null,
          type: 'desk.updated',
          data: { by: 'configuration file', fields: merged.changed },
        });
      }
      for (const field of merged.overridden) report.overridden.push(`desks.${next.key}.${field}`);
    }
    const fileDeskKeys = new Set(config.desks.map((desk) => desk.key));
    for (const [key, snap] of snapshots) {
      const desk = stored.get(key);
      if (snap && desk && !desk.archived && !fileDeskKeys.has(key)) {
        await tx.update(desks).set({ archivedAt: now, fileSnapshot: null }).where(eq(desks.key, key));
        report.archived.push(`desks.${key}`);
        audit.push({
          deskKey: key,
          actorId: null,
          type: 'desk.archived',
          data: { by: 'configuration file' },
        });
      }
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

  for (const path of report.overridden) {
    log.warn(`Configuration file: ${path} changed in the file, replacing the value an admin set in Slack`, {
      path,
    });
  }
  if (report.created.length + report.updated.length + report.archived.length > 0) {
    log.info('Desks configuration applied', { ...report });
  }
  return report;
}
