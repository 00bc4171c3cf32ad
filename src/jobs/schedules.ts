import { validate as isCronExpression } from 'node-cron';
import type { JobSchedules } from '../desks/model.js';
import { ConfigError } from '../domain/errors.js';
import type { Job } from './job.js';

/**
 * When each job runs: its default schedule unless the configuration's `schedules` section overrides
 * it. Cron is read in UTC so that every replica, whatever its TZ, computes the same fire times (and
 * so the same claim keys); daylight-saving changes never skip or double a fire.
 */
export const CRON_TIMEZONE = 'UTC';

export interface ScheduledJob {
  job: Job;
  schedule: string;
  /** True when the configuration chose the schedule. */
  overridden: boolean;
}

/** Throws a ConfigError naming every bad entry (`schedules.cleanup: …`), like the desks configuration. */
export function resolveSchedules(jobs: readonly Job[], overrides: JobSchedules = {}): ScheduledJob[] {
  const problems = [...duplicateNames(jobs), ...unknownOverrides(jobs, overrides)];
  const resolved = jobs.map((job): ScheduledJob => {
    const override = overrides[job.name];
    const schedule = override ?? job.defaultSchedule;
    if (!isCronExpression(schedule)) {
      const where = override === undefined ? `job ${job.name} (defaultSchedule)` : `schedules.${job.name}`;
      problems.push(`${where}: ${JSON.stringify(schedule)} is not a cron expression such as "*/5 * * * *"`);
    }
    return { job, schedule, overridden: override !== undefined };
  });
  if (problems.length > 0) {
    throw new ConfigError(
      `The job schedules are not valid:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
  }
  return resolved;
}

function duplicateNames(jobs: readonly Job[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const { name } of jobs) {
    if (seen.has(name)) problems.push(`job ${name}: the name is used by two jobs`);
    seen.add(name);
  }
  return problems;
}

function unknownOverrides(jobs: readonly Job[], overrides: JobSchedules): string[] {
  const known = jobs.map((j) => j.name);
  return Object.keys(overrides)
    .filter((name) => !known.includes(name))
    .map((name) => `schedules.${name}: there is no job named "${name}"; known jobs: ${known.join(', ')}`);
}
