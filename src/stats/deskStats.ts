import { sql } from 'drizzle-orm';
import { type Queryable, queryRows } from '../db/client.js';
import { STATUSES, type Status } from '../domain/status.js';

/**
 * `/ticket stats`, per desk (docs/administration.md "Statistics"). Every window ends now and is
 * (now − N days, now]; times are wall-clock (not business hours), in seconds.
 *
 * - **Counts by status**: the desk's tickets by their current status, whenever created.
 * - **Created**: tickets whose `created_at` is in the window.
 * - **First response**: for tickets created in the window that have had one,
 *   `first_responded_at − created_at`; the median, and how many of the window's tickets had one.
 * - **Resolution**: for tickets whose `resolved_at` is in the window (resolved then, whatever their
 *   status now), `resolved_at − created_at`; the median and the count.
 * - **SLA attainment**: among the SLA clocks (`sla_timers`, every kind) whose outcome was settled in the
 *   window, the share met on time. A clock is settled when it is met, or when its deadline passes
 *   unmet: at least(met_at, breached_at, due_at), if that is not in the future. It was met on time
 *   when it has `met_at`, no `breached_at`, and was met by its deadline (`met_at ≤ due_at`, or, met
 *   while paused, with business time left). A clock still running before its deadline, or paused,
 *   counts nowhere yet.
 *
 * Medians are computed by Postgres (percentile_cont, interpolating between the two middle values).
 * Each query reads one window-bounded range: tickets by (desk, created_at) and (desk, resolved_at),
 * clocks by their settling instant (see the indexes asked for in docs/administration.md).
 */

export const STATS_WINDOWS_DAYS = [7, 30] as const;
export type StatsWindow = (typeof STATS_WINDOWS_DAYS)[number];

export interface WindowStats {
  created: number;
  responded: number;
  /** Seconds; null when no ticket created in the window has had a first response. */
  medianFirstResponse: number | null;
  resolved: number;
  medianResolution: number | null;
  slaSettled: number;
  slaMet: number;
}

export interface DeskStats {
  deskKey: string;
  byStatus: Record<Status, number>;
  windows: Record<StatsWindow, WindowStats>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const emptyWindow = (): WindowStats => ({
  created: 0,
  responded: 0,
  medianFirstResponse: null,
  resolved: 0,
  medianResolution: null,
  slaSettled: 0,
  slaMet: 0,
});

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** Statistics of the given desks at `now` (desks without tickets get zeros). */
export async function deskStats(db: Queryable, deskKeys: readonly string[], now: Date): Promise<DeskStats[]> {
  if (deskKeys.length === 0) return [];
  const keys = sql.join(
    deskKeys.map((deskKey) => sql`${deskKey}`),
    sql`, `,
  );
  const at = sql`${now.toISOString()}::timestamptz`;
  const since = (days: number) => sql`${new Date(now.getTime() - days * DAY_MS).toISOString()}::timestamptz`;
  const [since7Days, since30Days] = STATS_WINDOWS_DAYS.map(since) as [
    ReturnType<typeof since>,
    ReturnType<typeof since>,
  ];

  const [statusRows, responseRows, resolutionRows, slaRows] = await Promise.all([
    queryRows<{ desk_key: string; status: string; n: number }>(
      db,
      sql`select desk_key, status, count(*)::int as n from tickets
          where desk_key in (${keys}) group by desk_key, status`,
    ),
    queryRows<Record<string, unknown>>(
      db,
      sql`select desk_key,
            count(*) filter (where created_at > ${since7Days})::int as created_7,
            count(*) filter (where created_at > ${since7Days} and first_responded_at is not null)::int as responded_7,
            percentile_cont(0.5) within group (order by extract(epoch from first_responded_at - created_at)::float8)
              filter (where created_at > ${since7Days}) as median_7,
            count(*)::int as created_30,
            count(first_responded_at)::int as responded_30,
            percentile_cont(0.5) within group (order by extract(epoch from first_responded_at - created_at)::float8)
              as median_30
          from tickets
          where desk_key in (${keys}) and created_at > ${since30Days} and created_at <= ${at}
          group by desk_key`,
    ),
    queryRows<Record<string, unknown>>(
      db,
      sql`select desk_key,
            count(*) filter (where resolved_at > ${since7Days})::int as resolved_7,
            percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at)::float8)
              filter (where resolved_at > ${since7Days}) as median_7,
            count(*)::int as resolved_30,
            percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at)::float8)
              as median_30
          from tickets
          where desk_key in (${keys}) and resolved_at > ${since30Days} and resolved_at <= ${at}
          group by desk_key`,
    ),
    queryRows<Record<string, unknown>>(
      db,
      sql`select t.desk_key,
            count(*) filter (where c.settled_at > ${since7Days})::int as settled_7,
            count(*) filter (where c.settled_at > ${since7Days} and c.on_time)::int as met_7,
            count(*)::int as settled_30,
            count(*) filter (where c.on_time)::int as met_30
          from (
            select ticket_id,
              least(met_at, breached_at, due_at) as settled_at,
              (met_at is not null and breached_at is null
                and (met_at <= due_at or (due_at is null and coalesce(remaining_seconds, 0) >= 0))) as on_time
            from sla_timers
            where least(met_at, breached_at, due_at) > ${since30Days} and least(met_at, breached_at, due_at) <= ${at}
          ) c
          join tickets t on t.id = c.ticket_id
          where t.desk_key in (${keys})
          group by t.desk_key`,
    ),
  ]);

  const stats = new Map<string, DeskStats>(
    deskKeys.map((deskKey) => [
      deskKey,
      {
        deskKey,
        byStatus: Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>,
        windows: { 7: emptyWindow(), 30: emptyWindow() },
      },
    ]),
  );
  for (const row of statusRows) {
    const desk = stats.get(row.desk_key);
    if (desk && (STATUSES as readonly string[]).includes(row.status))
      desk.byStatus[row.status as Status] = num(row.n);
  }
  for (const row of responseRows) {
    const desk = stats.get(String(row.desk_key));
    if (!desk) continue;
    for (const days of STATS_WINDOWS_DAYS) {
      desk.windows[days].created = num(row[`created_${days}`]);
      desk.windows[days].responded = num(row[`responded_${days}`]);
      desk.windows[days].medianFirstResponse = numOrNull(row[`median_${days}`]);
    }
  }
  for (const row of resolutionRows) {
    const desk = stats.get(String(row.desk_key));
    if (!desk) continue;
    for (const days of STATS_WINDOWS_DAYS) {
      desk.windows[days].resolved = num(row[`resolved_${days}`]);
      desk.windows[days].medianResolution = numOrNull(row[`median_${days}`]);
    }
  }
  for (const row of slaRows) {
    const desk = stats.get(String(row.desk_key));
    if (!desk) continue;
    for (const days of STATS_WINDOWS_DAYS) {
      desk.windows[days].slaSettled = num(row[`settled_${days}`]);
      desk.windows[days].slaMet = num(row[`met_${days}`]);
    }
  }
  return deskKeys.flatMap((deskKey) => stats.get(deskKey) ?? []);
}
