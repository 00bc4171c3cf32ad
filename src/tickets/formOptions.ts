import type { Queryable } from '../db/client.js';
import { listCategories, listDesks } from '../desks/directory.js';

/** What the create-ticket modal offers: active desks and categories, in their configured order. */
export async function createTicketChoices(q: Queryable) {
  const [desks, categories] = await Promise.all([listDesks(q), listCategories(q)]);
  const deskKeys = new Set(desks.map((d) => d.key));
  return {
    desks: desks.map((d) => ({ key: d.key, name: d.name })),
    categories: categories.filter((c) => deskKeys.has(c.desk)).map((c) => ({ id: c.id, name: c.name })),
  };
}
