import type { Queryable } from '../../db/client.js';
import { type Category, type Desk, findCategory, findDesk, listCategories, listDesks } from '../directory.js';
import { forbidden, notFound } from './errors.js';
import {
  type AdminActor,
  type AdminRights,
  mayAdminister,
  mayChangeMailbox,
  mayChangePrivacy,
  mayCreateDesk,
  mayEditCategoriesOf,
  mayEditDesk,
} from './rights.js';
import { categoryVersion, deskVersion, rightsOf } from './store.js';

/** What the administration forms and the Home's administration area read, rights checked. */

export interface AdminScope {
  workspaceAdmin: boolean;
  mayCreateDesk: boolean;
  /** Desks the actor may edit (and add categories to), in name order. */
  desks: { key: string; name: string }[];
  /** Categories the actor may edit, in their configured order. */
  categories: { id: number; name: string; deskName: string }[];
}

/** What the actor administers; undefined when nothing (no administration area, no forms). */
export async function adminScope(db: Queryable, actor: AdminActor): Promise<AdminScope | undefined> {
  const rights = await rightsOf(db, actor);
  if (!mayAdminister(rights)) return undefined;
  const [desks, categories] = await Promise.all([listDesks(db), listCategories(db)]);
  const editable = desks.filter((desk) => mayEditDesk(rights, desk.key));
  const names = new Map(editable.map((desk) => [desk.key, desk.name]));
  return {
    workspaceAdmin: rights.workspaceAdmin,
    mayCreateDesk: mayCreateDesk(rights),
    desks: editable.map((desk) => ({ key: desk.key, name: desk.name })),
    categories: categories.flatMap((category) => {
      const deskName = names.get(category.desk);
      return deskName === undefined ? [] : [{ id: category.id, name: category.name, deskName }];
    }),
  };
}

export interface DeskToEdit {
  desk: Desk;
  version: string;
  mayChangePrivacy: boolean;
  mayChangeMailbox: boolean;
}

/** A desk for its edit form; refused (FolioError) to those who may not edit it. */
export async function deskToEdit(db: Queryable, actor: AdminActor, key: string): Promise<DeskToEdit> {
  const [desk, rights, version] = await Promise.all([
    findDesk(db, key),
    rightsOf(db, actor),
    deskVersion(db, key),
  ]);
  if (!desk || desk.archived || version === undefined) throw notFound('desk');
  if (!mayEditDesk(rights, key)) {
    throw forbidden(`Only the leads of the ${desk.name} desk and workspace admins can change it.`);
  }
  return {
    desk,
    version,
    mayChangePrivacy: mayChangePrivacy(rights),
    mayChangeMailbox: mayChangeMailbox(rights),
  };
}

/** Refused (FolioError) unless the actor may create desks. */
export async function checkMayCreateDesk(db: Queryable, actor: AdminActor): Promise<void> {
  if (!mayCreateDesk(await rightsOf(db, actor))) throw forbidden('Only workspace admins can create desks.');
}

export interface CategoryToEdit {
  /** Undefined for a new category. */
  category: (Category & { version: string }) | undefined;
  /** Desks the category may be put in. */
  desks: { key: string; name: string }[];
}

async function deskChoices(db: Queryable, rights: AdminRights) {
  return (await listDesks(db))
    .filter((desk) => mayEditCategoriesOf(rights, desk.key))
    .map((desk) => ({ key: desk.key, name: desk.name }));
}

/** A category for its edit form, or the choices for a new one (`id` undefined); refused when not allowed. */
export async function categoryToEdit(
  db: Queryable,
  actor: AdminActor,
  id: number | undefined,
): Promise<CategoryToEdit> {
  const rights = await rightsOf(db, actor);
  const desks = await deskChoices(db, rights);
  if (id === undefined) {
    if (desks.length === 0) throw forbidden('Only workspace admins and desk leads can add categories.');
    return { category: undefined, desks };
  }
  const [category, version] = await Promise.all([findCategory(db, id), categoryVersion(db, id)]);
  if (!category || category.archived || version === undefined) throw notFound('category');
  if (!mayEditCategoriesOf(rights, category.desk)) {
    throw forbidden('Only workspace admins and the leads of its desk can change this category.');
  }
  return { category: { ...category, version }, desks };
}
