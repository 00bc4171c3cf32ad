import { sql } from 'drizzle-orm';
import { type Queryable, queryRows } from '../db/client.js';

/** When each scheduled job last finished a run, for operators (`/metrics`). */
export interface JobLastRun {
  job: string;
  /** Seconds since the epoch; null when none of its runs has finished. */
  lastFinishedSeconds: number | null;
}

/** Every job with a run in `job_runs`, by name. */
export async function lastFinishedRuns(db: Queryable): Promise<JobLastRun[]> {
  const rows = await queryRows<{ job: string; last_finished: number | null }>(
    db,
    sql`select job, extract(epoch from max(finished_at))::float as last_finished from job_runs group by job order by job`,
  );
  return rows.map((row) => ({ job: row.job, lastFinishedSeconds: row.last_finished }));
}
