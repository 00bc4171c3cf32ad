import { describe, expect, it } from 'vitest';
import { parseHelpdeskConfig } from '../../../src/config/desks.js';
import { ConfigError } from '../../../src/domain/errors.js';
import { allJobs } from '../../../src/jobs/index.js';
import type { Job } from '../../../src/jobs/job.js';
import { resolveSchedules } from '../../../src/jobs/schedules.js';

const job = (name: string, defaultSchedule: string): Job => ({
  name,
  defaultSchedule,
  description: `the ${name} job`,
  run: async () => ({}),
});

const sla = job('sla', '* * * * *');
const snooze = job('snooze', '*/5 * * * *');

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('resolveSchedules', () => {
  it('uses each job’s default schedule when nothing overrides it', () => {
    expect(resolveSchedules([sla, snooze]).map((s) => [s.job.name, s.schedule, s.overridden])).toEqual([
      ['sla', '* * * * *', false],
      ['snooze', '*/5 * * * *', false],
    ]);
  });

  it('lets the configuration override one job and leaves the others on their defaults', () => {
    const resolved = resolveSchedules([sla, snooze], { snooze: '30 */2 * * * *' });
    expect(resolved.map((s) => [s.job.name, s.schedule, s.overridden])).toEqual([
      ['sla', '* * * * *', false],
      ['snooze', '30 */2 * * * *', true],
    ]);
    expect(resolved[1]?.job).toBe(snooze);
  });

  it('names an override that is not valid cron by its path in the configuration', () => {
    expect(messageOf(() => resolveSchedules([sla, snooze], { sla: '61 * * * *' }))).toBe(
      'The job schedules are not valid:\n  schedules.sla: "61 * * * *" is not a cron expression such as "*/5 * * * *"',
    );
  });

  it('names a job whose default schedule is not valid cron', () => {
    expect(messageOf(() => resolveSchedules([job('broken', 'every minute')]))).toBe(
      'The job schedules are not valid:\n  job broken (defaultSchedule): "every minute" is not a cron expression such as "*/5 * * * *"',
    );
  });

  it('refuses an override for a job that does not exist, listing the known ones', () => {
    expect(messageOf(() => resolveSchedules([sla, snooze], { autoclose: '0 * * * *' }))).toBe(
      'The job schedules are not valid:\n  schedules.autoclose: there is no job named "autoclose"; known jobs: sla, snooze',
    );
  });

  it('reports every problem at once, and two jobs with one name', () => {
    const lines = messageOf(() =>
      resolveSchedules([sla, job('sla', '0 * * * *')], { nope: '* * * * *', sla: 'x' }),
    ).split('\n');
    expect(lines.slice(1)).toEqual([
      '  job sla: the name is used by two jobs',
      '  schedules.nope: there is no job named "nope"; known jobs: sla, sla',
      '  schedules.sla: "x" is not a cron expression such as "*/5 * * * *"',
      '  schedules.sla: "x" is not a cron expression such as "*/5 * * * *"',
    ]);
  });

  it('accepts every registered job’s default schedule', () => {
    expect(resolveSchedules(allJobs()).map((s) => s.job.name)).toEqual([
      'sla',
      'snooze',
      'autoClose',
      'cleanup',
    ]);
  });
});

describe('the configuration’s schedules section', () => {
  const base = { desks: [{ key: 'it', name: 'IT' }], categories: [{ name: 'IT', desk: 'it' }] };

  it('is optional: without it the resolved configuration has no overrides', () => {
    expect(parseHelpdeskConfig(base).schedules).toBeUndefined();
  });

  it('maps job names to cron expressions, seconds allowed', () => {
    expect(
      parseHelpdeskConfig({ ...base, schedules: { cleanup: '0 4 * * *', sla: '*/20 * * * * *' } }).schedules,
    ).toEqual({ cleanup: '0 4 * * *', sla: '*/20 * * * * *' });
  });

  it('names the path of a bad entry, like the rest of the file', () => {
    const message = messageOf(() =>
      parseHelpdeskConfig({ ...base, schedules: { cleanup: '61 * * * *', sla: 5 } }, 'folio.yaml'),
    );
    expect(message.split('\n')).toEqual([
      'The desks configuration folio.yaml is not valid:',
      '  schedules.cleanup: "61 * * * *" is not a cron expression such as "*/5 * * * *" ([second] minute hour day-of-month month day-of-week, UTC)',
      '  schedules.sla: Invalid input: expected string, received number',
    ]);
  });
});
