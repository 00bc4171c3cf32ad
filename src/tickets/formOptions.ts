import type { Readers } from './show.js';

/** What the create-ticket modal offers: active desks and categories, in their configured order. */
export async function createTicketChoices(services: Readers) {
  const desks = await services.directory.desks(services.db);
  const categories = await services.directory.categories(services.db);
  const deskKeys = new Set(desks.map((desk) => desk.key));
  return {
    desks: desks.map((desk) => ({ key: desk.key, name: desk.name })),
    categories: categories
      .filter((category) => deskKeys.has(category.desk))
      .map((category) => ({ id: category.id, name: category.name })),
  };
}
