import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a measurement, from /proc (Linux): the whole machine's busy
 * time, and the Postgres server's processes' (every process named `postgres`). Elsewhere these read 0.
 */

const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface CpuSample {
  /** Busy and total time of all cores, ms. */
  machineBusyMs: number;
  machineTotalMs: number;
  postgresMs: number;
}

function machine(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return { busy: 0, total: 0 };
  }
}

function postgres(): number {
  let ms = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
        const fields = stat.slice(close + 2).split(' ');
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
        ms += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return 0;
  }
  return ms;
}

export function cpuSample(): CpuSample {
  const m = machine();
  return { machineBusyMs: m.busy, machineTotalMs: m.total, postgresMs: postgres() };
}

export interface CpuSpent {
  /** Share of all cores that was busy, 0–1. */
  machineUtilisation: number;
  postgresMs: number;
  busyMs: number;
  totalMs: number;
}

export function cpuSince(before: CpuSample): CpuSpent {
  const now = cpuSample();
  const total = now.machineTotalMs - before.machineTotalMs;
  const busy = now.machineBusyMs - before.machineBusyMs;
  return {
    machineUtilisation: total > 0 ? busy / total : 0,
    postgresMs: now.postgresMs - before.postgresMs,
    busyMs: busy,
    totalMs: total,
  };
}

/**
 * CPU that neither the bench's own processes (`ownMs`: the app, the load generator) nor Postgres used
 * during a window: another program on the machine (a test run, a build), as a share of both cores.
 * A large share marks the window as disturbed.
 */
export function foreignShare(spent: CpuSpent, ownMs: number): number {
  if (spent.totalMs <= 0) return 0;
  return Math.max(0, (spent.busyMs - spent.postgresMs - ownMs) / spent.totalMs);
}

/**
 * Waits (up to `maxMs`) until the machine is nearly idle — less than `threshold` of both cores busy
 * over half a second — so that a measurement does not start during someone else's build or test run.
 * Returns how long it waited.
 */
export async function waitForQuiet(threshold = 0.25, maxMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const before = cpuSample();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { machineUtilisation } = cpuSince(before);
    if (machineUtilisation < threshold || Date.now() - started > maxMs) return Date.now() - started;
  }
}
