import { sql } from 'drizzle-orm';
import { type Queryable, queryRows } from '../db/client.js';
import { tickets } from '../db/schema/index.js';
import { normalizeText } from '../domain/text.js';
import { PAGE_SIZE, type Page, summariesOf, type TicketSummary } from './lists.js';
import { visibleTo } from './visibility.js';

/**
 * Full-text search (Postgres, the `english` configuration: stemmed, words in any order) over
 * subjects and descriptions, and over comments: public replies for everyone who may see the ticket,
 * internal notes only for its desk's members. A ticket matches when its subject and description, or
 * one of its comments, contain all the words; the ticket's own text ranks above its comments'.
 */

export const SEARCH_MAX_LENGTH = 200;

/**
 * The words a search looks for: trimmed, within SEARCH_MAX_LENGTH, normalized (domain/text.ts) after
 * the cut, which may have split a pair of surrogates.
 */
export const searchText = (words: string): string =>
  normalizeText(words.trim().slice(0, SEARCH_MAX_LENGTH)).trim();

export async function searchTickets(
  db: Queryable,
  viewer: string,
  words: string,
  page = 0,
): Promise<Page<TicketSummary>> {
  const text = searchText(words);
  if (text === '') return { items: [], page, hasMore: false };
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
      with query as (select plainto_tsquery('english', ${text}) as q),
      hits as (
        select t.id, ts_rank(t.search_vector, query.q) as rank
        from tickets t, query
        where t.search_vector @@ query.q
        union all
        select c.ticket_id as id, ts_rank(c.search_vector, query.q) * 0.5 as rank
        from comments c, query
        where c.search_vector @@ query.q
          and c.deleted_at is null
          and (c.visibility = 'public' or exists (
            select 1 from tickets ct join desk_members m on m.desk_key = ct.desk_key
            where ct.id = c.ticket_id and m.user_id = ${viewer}))
      )
      select hits.id, sum(hits.rank) as rank
      from hits join ${tickets} on ${tickets.id} = hits.id
      where ${visibleTo(viewer)}
      group by hits.id
      order by rank desc, hits.id desc
      limit ${PAGE_SIZE + 1} offset ${page * PAGE_SIZE}`,
  );
  const ids = rows.map((row) => Number(row.id));
  const items = await summariesOf(db, ids.slice(0, PAGE_SIZE));
  return { items, page, hasMore: ids.length > PAGE_SIZE };
}
