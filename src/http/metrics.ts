import type { Database } from '../db/client.js';
import { operationsFigures } from '../stats/operations.js';
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
      .map(([key, count]) => {
        const [channel, reason] = key.split('\u0000');
        return `folio_requests_refused_total{channel="${channel}",reason="${reason}"} ${count}`;
      });
  }
}

/**
 * `GET /metrics`: what an operator watches (src/stats/operations.ts: the outbox backlog, messages given
 * up on, when each scheduled job last finished, active tickets by status) and the requests this
 * process refused, in Prometheus' text format.
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
  const { outbox, jobs, ticketsByStatus } = await operationsFigures(database.db);
  const lines = [
    '# HELP folio_outbox_pending Messages to Slack not yet delivered (including those waiting for a retry).',
    '# TYPE folio_outbox_pending gauge',
    `folio_outbox_pending ${outbox.pending}`,
    '# HELP folio_outbox_due Messages to Slack due now and not yet delivered.',
    '# TYPE folio_outbox_due gauge',
    `folio_outbox_due ${outbox.due}`,
    '# HELP folio_outbox_oldest_due_seconds Age of the oldest message due for delivery.',
    '# TYPE folio_outbox_oldest_due_seconds gauge',
    `folio_outbox_oldest_due_seconds ${outbox.oldestDueSeconds}`,
    '# HELP folio_outbox_failed_last_day Messages given up on in the last 24 hours.',
    '# TYPE folio_outbox_failed_last_day gauge',
    `folio_outbox_failed_last_day ${outbox.failedLastDay}`,
    '# HELP folio_job_last_finished_timestamp_seconds When each scheduled job last finished a run.',
    '# TYPE folio_job_last_finished_timestamp_seconds gauge',
    ...jobs.map(
      (run) => `folio_job_last_finished_timestamp_seconds{job="${run.job}"} ${run.lastFinishedSeconds ?? 0}`,
    ),
    '# HELP folio_tickets Tickets by status (Closed tickets are not counted).',
    '# TYPE folio_tickets gauge',
    ...ticketsByStatus.map(({ status, count }) => `folio_tickets{status="${status}"} ${count}`),
    '# HELP folio_requests_refused_total Requests refused (malformed, unsigned, too large) or that no listener handled.',
    '# TYPE folio_requests_refused_total counter',
    ...counters.lines(),
  ];
  return `${lines.join('\n')}\n`;
}
