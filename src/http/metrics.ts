import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/client.js';
import { plain, type Route } from './router.js';

/**
 * Requests this process refused or could not route, by channel and reason (`slack`, `malformed`):
 * counted in memory, so each replica reports its own, as Prometheus expects of a counter.
 */
export class RequestCounters {
  private readonly counts = new Map<string, number>();

  count(channel: string, reason: string): void {
    const key = `${channel}\u0000${reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  lines(): string[] {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => {
        const [channel, reason] = key.split('\u0000');
        return `folio_requests_refused_total{channel="${channel}",reason="${reason}"} ${n}`;
      });
  }
}

/**
 * `GET /metrics`: what an operator watches, in Prometheus' text format. Each figure is one cheap,
 * indexed query: the outbox backlog and its oldest due row (Slack falling behind), messages given up
 * on, scheduled job runs (when each last finished), and active tickets by status; and the requests
 * this process refused.
 */
export function metricsRoute(database: Database, counters: RequestCounters): Route {
  return {
    method: 'GET',
    path: '/metrics',
    handle: async (_req, res) => {
      let text: string;
      try {
        text = await collect(database, counters);
      } catch {
        plain(res, 503, '# the database did not answer\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'cache-control': 'no-store' });
      res.end(text);
    },
  };
}

async function collect(database: Database, counters: RequestCounters): Promise<string> {
  const db = database.db;
  const [outbox] = await queryRows<{
    pending: number;
    due: number;
    oldest_due_seconds: number | null;
    failed_day: number;
  }>(
    db,
    sql`
      select
        count(*) filter (where delivered_at is null and failed_at is null)::int as pending,
        count(*) filter (where delivered_at is null and failed_at is null and available_at <= now())::int as due,
        extract(epoch from now() - min(available_at) filter (
          where delivered_at is null and failed_at is null and available_at <= now()))::float as oldest_due_seconds,
        count(*) filter (where failed_at > now() - interval '1 day')::int as failed_day
      from outbox
      where (delivered_at is null and failed_at is null) or failed_at > now() - interval '1 day'`,
  );
  const jobs = await queryRows<{ job: string; last_finished: number | null }>(
    db,
    sql`select job, extract(epoch from max(finished_at))::float as last_finished from job_runs group by job order by job`,
  );
  const statuses = await queryRows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from tickets where status <> 'closed' group by status order by status`,
  );
  const lines = [
    '# HELP folio_outbox_pending Messages to Slack not yet delivered (including those waiting for a retry).',
    '# TYPE folio_outbox_pending gauge',
    `folio_outbox_pending ${outbox?.pending ?? 0}`,
    '# HELP folio_outbox_due Messages to Slack due now and not yet delivered.',
    '# TYPE folio_outbox_due gauge',
    `folio_outbox_due ${outbox?.due ?? 0}`,
    '# HELP folio_outbox_oldest_due_seconds Age of the oldest message due for delivery.',
    '# TYPE folio_outbox_oldest_due_seconds gauge',
    `folio_outbox_oldest_due_seconds ${outbox?.oldest_due_seconds ?? 0}`,
    '# HELP folio_outbox_failed_last_day Messages given up on in the last 24 hours.',
    '# TYPE folio_outbox_failed_last_day gauge',
    `folio_outbox_failed_last_day ${outbox?.failed_day ?? 0}`,
    '# HELP folio_job_last_finished_timestamp_seconds When each scheduled job last finished a run.',
    '# TYPE folio_job_last_finished_timestamp_seconds gauge',
    ...jobs.map((j) => `folio_job_last_finished_timestamp_seconds{job="${j.job}"} ${j.last_finished ?? 0}`),
    '# HELP folio_tickets Tickets by status (Closed tickets are not counted).',
    '# TYPE folio_tickets gauge',
    ...statuses.map((s) => `folio_tickets{status="${s.status}"} ${s.n}`),
    '# HELP folio_requests_refused_total Requests refused (malformed, unsigned, too large) or that no listener handled.',
    '# TYPE folio_requests_refused_total counter',
    ...counters.lines(),
  ];
  return `${lines.join('\n')}\n`;
}
