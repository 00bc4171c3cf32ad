import { and, count, eq, isNull, max, ne, sql } from 'drizzle-orm';
import { recordEvent } from '../../audit/record.js';
import type { Tx } from '../../db/client.js';
import { categories } from '../../db/schema/index.js';
import { transaction, violatedUniqueConstraint } from '../../db/tx.js';
import { FolioError } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { findCategory, findDesk } from '../directory.js';
import { categorySchema, MAX_CATEGORIES } from '../model.js';
import { forbidden, invalid, notFound, stale } from './errors.js';
import { type AdminActor, type AdminRights, mayEditCategoriesOf, mayMoveCategory } from './rights.js';
import { categoryVersion, refreshHomes, rightsOf } from './store.js';

/** As in the configuration file: the create modal's category select holds 100 options. */

export interface CategoryValues {
  name: string;
  /** The desk's key. */
  desk: string;
  owner: string | null;
}

export interface CreateCategoryCommand {
  actor: AdminActor;
  values: CategoryValues;
}

export interface EditCategoryCommand {
  actor: AdminActor;
  categoryId: number;
  /** The category's version when the form opened. */
  version: string;
  values: CategoryValues;
}

const nameTaken = () => FolioError.field('name', 'Another category already has this name.');

/** The configuration file's rules for a category, and a desk that exists and the actor may use. */
async function checked(tx: Tx, rights: AdminRights, values: CategoryValues): Promise<CategoryValues> {
  const parsed = categorySchema.safeParse({
    name: values.name,
    desk: values.desk,
    ...(values.owner ? { owner: values.owner } : {}),
  });
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'name')] ??= issue.message;
    throw invalid(fields);
  }
  const desk = await findDesk(tx, parsed.data.desk);
  if (!desk || desk.archived) throw FolioError.field('desk', 'Choose one of the desks.');
  if (!mayEditCategoriesOf(rights, desk.key)) {
    throw FolioError.field(
      'desk',
      `Only the leads of the ${desk.name} desk and workspace admins can add categories to it.`,
    );
  }
  return { name: parsed.data.name, desk: desk.key, owner: parsed.data.owner ?? null };
}

async function nameInUse(tx: Tx, name: string, except?: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: categories.id })
    .from(categories)
    .where(
      and(
        sql`lower(${categories.name}) = lower(${name})`,
        except === undefined ? undefined : ne(categories.id, except),
      ),
    );
  return row !== undefined;
}

/** Adds a category to a desk (workspace admins, or the desk's leads); it comes last in the list. */
export async function createCategory(
  services: Services,
  cmd: CreateCategoryCommand,
): Promise<{ id: number }> {
  try {
    return await transaction(services.db, async (tx, afterCommit) => {
      // Every process re-reads desks after an edit (this one at once, others within seconds).
      afterCommit(() => services.directory.invalidate());
      const rights = await rightsOf(tx, cmd.actor);
      const values = await checked(tx, rights, cmd.values);
      const [active] = await tx.select({ n: count() }).from(categories).where(isNull(categories.archivedAt));
      if ((active?.n ?? 0) >= MAX_CATEGORIES) {
        throw FolioError.field('name', `Folio holds at most ${MAX_CATEGORIES} categories.`);
      }
      if (await nameInUse(tx, values.name)) throw nameTaken();
      const [last] = await tx.select({ p: max(categories.position) }).from(categories);
      const now = services.clock.now();
      const [row] = await tx
        .insert(categories)
        .values({
          name: values.name,
          deskKey: values.desk,
          ownerId: values.owner,
          position: (last?.p ?? -1) + 1,
          origin: 'slack',
          fileSnapshot: null,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: categories.id });
      if (!row) throw new Error('insert into categories returned no row');
      await recordEvent(tx, {
        deskKey: values.desk,
        actorId: cmd.actor.userId,
        type: 'category.created',
        at: now,
        data: { by: 'slack', categoryId: row.id, to: values },
      });
      await refreshHomes(tx, afterCommit, services.outbox, [cmd.actor.userId]);
      return { id: row.id };
    });
  } catch (error) {
    if (violatedUniqueConstraint(error) === 'categories_name') throw nameTaken();
    throw error;
  }
}

/**
 * Changes a category's name, desk or owner. A category defined in the configuration file keeps its
 * name: the file finds its categories by name, so a rename made in Slack would be undone at the next
 * start (the renamed one archived, the old name created again).
 */
export async function editCategory(
  services: Services,
  cmd: EditCategoryCommand,
): Promise<{ changed: string[] }> {
  try {
    return await transaction(services.db, async (tx, afterCommit) => {
      // Every process re-reads desks after an edit (this one at once, others within seconds).
      afterCommit(() => services.directory.invalidate());
      const [locked] = await tx
        .select({ id: categories.id, fromFile: sql<boolean>`${categories.fileSnapshot} is not null` })
        .from(categories)
        .where(eq(categories.id, cmd.categoryId))
        .for('update');
      const current = locked && (await findCategory(tx, locked.id));
      if (!locked || !current || current.archived) throw notFound('category');
      const rights = await rightsOf(tx, cmd.actor);
      if (!mayEditCategoriesOf(rights, current.desk)) {
        throw forbidden('Only workspace admins and the leads of its desk can change this category.');
      }
      if ((await categoryVersion(tx, current.id)) !== cmd.version) throw stale();
      const values = await checked(tx, rights, cmd.values);
      if (!mayMoveCategory(rights, current.desk, values.desk)) {
        throw FolioError.field('desk', 'You can move a category only between desks you lead.');
      }
      const before: CategoryValues = { name: current.name, desk: current.desk, owner: current.owner };
      const changed = (['name', 'desk', 'owner'] as const).filter((field) => before[field] !== values[field]);
      if (changed.length === 0) return { changed };
      if (changed.includes('name')) {
        if (locked.fromFile && before.name.toLowerCase() !== values.name.toLowerCase()) {
          throw FolioError.field('name', 'This category comes from the configuration file: rename it there.');
        }
        if (await nameInUse(tx, values.name, current.id)) throw nameTaken();
      }
      const now = services.clock.now();
      await tx
        .update(categories)
        .set({ name: values.name, deskKey: values.desk, ownerId: values.owner, updatedAt: now })
        .where(eq(categories.id, current.id));
      const pickOf = (categoryValues: CategoryValues) =>
        Object.fromEntries(changed.map((field) => [field, categoryValues[field]]));
      await recordEvent(tx, {
        deskKey: values.desk,
        actorId: cmd.actor.userId,
        type: 'category.updated',
        at: now,
        data: {
          by: 'slack',
          categoryId: current.id,
          name: values.name,
          fields: changed,
          from: pickOf(before),
          to: pickOf(values),
        },
      });
      await refreshHomes(tx, afterCommit, services.outbox, [cmd.actor.userId]);
      return { changed };
    });
  } catch (error) {
    if (violatedUniqueConstraint(error) === 'categories_name') throw nameTaken();
    throw error;
  }
}
