import type { Readers } from './show.js';

/** What the create-ticket modal offers: active desks and categories, in their configured order. */
export async function createTicketChoices(s: Readers) {
  const desks = await s.directory.desks(s.db);
  const categories = await s.directory.categories(s.db);
  const deskKeys = new Set(desks.map((d) => d.key));
  return {
    desks: desks.map((d) => ({ key: d.key, name: d.name })),
    categories: categories.filter((c) => deskKeys.has(c.desk)).map((c) => ({ id: c.id, name: c.name })),
  };
}
