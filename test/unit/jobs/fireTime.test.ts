import { createTask, type RunCoordinator, type TaskContext } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { fireTimeFromKey } from '../../../src/jobs/coordinator.js';

describe('fireTimeFromKey', () => {
  it('reads the scheduled fire time from node-cron’s run key', () => {
    expect(fireTimeFromKey('cleanup', 'cleanup:2026-03-01T03:17:00.000Z')).toEqual(
      new Date('2026-03-01T03:17:00.000Z'),
    );
  });

  it('copes with a job name that contains colons', () => {
    expect(fireTimeFromKey('a:b', 'a:b:2026-03-01T03:17:05.000Z')).toEqual(new Date('2026-03-01T03:17:05Z'));
  });

  it.each([
    ['another job’s key', 'sla:2026-03-01T03:17:00.000Z'],
    ['no time', 'cleanup:'],
    ['a local time', 'cleanup:2026-03-01T03:17:00.000+01:00'],
    ['an impossible date', 'cleanup:2026-02-31T03:17:00.000Z'],
    ['garbage', 'cleanup:soon'],
  ])('refuses %s', (_what, key) => {
    expect(() => fireTimeFromKey('cleanup', key)).toThrow(/Unexpected node-cron run key/);
  });
});

/**
 * Pins what coordinator.ts relies on in node-cron (4.6): a distributed task asks its own coordinator
 * with the key `<name>:<slot ISO>`, and hands the task the same slot as `ctx.date`.
 */
describe('node-cron’s distributed mode', () => {
  it('asks the task’s coordinator with "<name>:<scheduled second>" and passes that second to the task', async () => {
    const keys: string[] = [];
    const ran: Date[] = [];
    let resolveRan = () => {};
    const firstRun = new Promise<void>((r) => {
      resolveRan = r;
    });
    const coordinator: RunCoordinator = {
      shouldRun: (key) => {
        keys.push(key);
        return keys.length === 1; // only the first fire is elected
      },
    };
    const task = createTask(
      '* * * * * *',
      (ctx: TaskContext) => {
        ran.push(ctx.date);
        resolveRan();
      },
      { name: 'pin:test', timezone: 'UTC', distributed: true, runCoordinator: coordinator },
    );
    task.start();
    try {
      await firstRun;
      await new Promise((r) => setTimeout(r, 1100)); // one more fire, not elected
    } finally {
      await task.destroy();
    }
    expect(ran).toHaveLength(1);
    const [fireAt] = ran;
    expect(fireAt?.getUTCMilliseconds()).toBe(0);
    expect(keys[0]).toBe(`pin:test:${fireAt?.toISOString()}`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(fireTimeFromKey('pin:test', keys[1] ?? '').getTime() - (fireAt?.getTime() ?? 0)).toBe(1000);
  });
});
