import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger, type FolioLogger } from '../../../src/lib/logger.js';

interface Written {
  line: string;
  level: LogLevel;
  record: Record<string, unknown>;
}

/** A logger writing into an array, as the app's log collector would read it. */
function capture(level: LogLevel | `${LogLevel}` = LogLevel.INFO, name?: string) {
  const written: Written[] = [];
  const log: FolioLogger = createLogger(level, {
    ...(name ? { name } : {}),
    sink: (line, lvl) =>
      written.push({ line, level: lvl, record: JSON.parse(line) as Record<string, unknown> }),
  });
  return { log, written, records: () => written.map((w) => w.record) };
}

/** A record without its timestamp, which tests check separately. */
const withoutTime = ({ time: _time, ...rest }: Record<string, unknown>) => rest;

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, name and message', () => {
    const { log, written } = capture();
    log.info('ticket created', 'TKT001');
    expect(written).toHaveLength(1);
    const [w] = written;
    expect(w?.line).not.toContain('\n');
    expect(w?.level).toBe(LogLevel.INFO);
    expect(withoutTime(w?.record ?? {})).toEqual({
      level: 'info',
      name: 'folio',
      msg: 'ticket created TKT001',
    });
    expect(new Date(String(w?.record.time)).toISOString()).toBe(w?.record.time);
  });

  it('drops lines below the level and keeps the rest', () => {
    const { log, records } = capture(LogLevel.WARN);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(records().map((r) => [r.level, r.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
  });

  it('changes level at run time', () => {
    const { log, records } = capture(LogLevel.INFO);
    log.debug('hidden');
    log.setLevel(LogLevel.DEBUG);
    log.debug('shown');
    expect(log.getLevel()).toBe(LogLevel.DEBUG);
    expect(records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('merges object arguments into the line as fields', () => {
    const { log, records } = capture();
    log.info({ ticket: 'TKT042', desk: 'it' }, 'assigned', { assignee: 'U_ANA', attempt: 2 });
    expect(withoutTime(records()[0] ?? {})).toEqual({
      level: 'info',
      name: 'folio',
      msg: 'assigned',
      ticket: 'TKT042',
      desk: 'it',
      assignee: 'U_ANA',
      attempt: 2,
    });
  });

  it('writes non-string words as JSON', () => {
    const { log, records } = capture();
    log.info('retry', 3, true, [1, 2], null);
    expect(records()[0]?.msg).toBe('retry 3 true [1,2] null');
  });

  it('serialises an error with its message, stack, code and cause', () => {
    const { log, written } = capture();
    const cause = new Error('connection refused');
    const err = Object.assign(new Error('delivery failed', { cause }), {
      code: 'slack_webapi_request_error',
    });
    log.error('outbox', err);
    const [w] = written;
    expect(w?.level).toBe(LogLevel.ERROR);
    expect(withoutTime(w?.record ?? {})).toEqual({
      level: 'error',
      name: 'folio',
      msg: 'outbox',
      err: {
        name: 'Error',
        message: 'delivery failed',
        stack: err.stack,
        code: 'slack_webapi_request_error',
        cause: { name: 'Error', message: 'connection refused', stack: cause.stack },
      },
    });
  });

  it('serialises errors nested in fields too', () => {
    const { log, records } = capture();
    log.warn({ job: 'sla', failure: new TypeError('bad due date') });
    expect(records()[0]?.failure).toEqual({
      name: 'TypeError',
      message: 'bad due date',
      stack: expect.stringContaining('TypeError: bad due date'),
    });
  });

  it('gives a child’s lines its fields, on top of its parent’s', () => {
    const { log, records } = capture(LogLevel.INFO, 'folio-test');
    const job = log.child({ job: 'sla', region: 'eu' });
    const sweep = job.child({ sweep: 7, region: 'us' });
    sweep.info('swept', { due: 3 });
    log.info('parent');
    expect(records().map(withoutTime)).toEqual([
      { level: 'info', name: 'folio-test', job: 'sla', region: 'us', sweep: 7, msg: 'swept', due: 3 },
      { level: 'info', name: 'folio-test', msg: 'parent' },
    ]);
  });

  it('masks Slack tokens in messages and fields', () => {
    const { log, written } = capture();
    log.info('using xoxb-fake-5678-abcdEFGH and xapp-fake-A0123-4567-zzz', {
      headers: { authorization: 'Bearer xoxp-fake-9999-user' },
    });
    const [w] = written;
    expect(w?.line).not.toMatch(/5678|abcdEFGH|A0123-4567|9999-user/);
    expect(w?.record.msg).toBe('using xoxb-…[redacted] and xapp-…[redacted]');
    expect(w?.record.headers).toEqual({ authorization: 'Bearer xoxp-…[redacted]' });
  });

  it('masks tokens inside an error message, its stack and its cause', () => {
    const { log, written } = capture();
    const err = new Error('invalid_auth for xoxb-fake-5678-secret', {
      cause: new Error('token xapp-fake-A0123-secret rejected'),
    });
    log.error(err);
    const [w] = written;
    expect(w?.line).not.toContain('secret');
    const logged = w?.record.err as { message: string; stack: string; cause: { message: string } };
    expect(logged.message).toBe('invalid_auth for xoxb-…[redacted]');
    expect(logged.stack.startsWith('Error: invalid_auth for xoxb-…[redacted]\n')).toBe(true);
    expect(logged.cause.message).toBe('token xapp-…[redacted] rejected');
  });

  it('still writes a line when a field cannot be turned into JSON', () => {
    const { log, records } = capture();
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    log.warn('odd payload', { payload: loop });
    expect(records().map(withoutTime)).toEqual([{ level: 'warn', name: 'folio', msg: 'odd payload' }]);
  });

  it('renames itself', () => {
    const { log, records } = capture();
    log.setName('bolt');
    log.info('hello');
    expect(records()[0]?.name).toBe('bolt');
  });
});

describe('secret values', () => {
  it('masks the configured secrets wherever they appear, children included', () => {
    const lines: string[] = [];
    const log = createLogger('debug', {
      sink: (l) => lines.push(l),
      secrets: ['s3cr3t-signing-value', 'short'],
    });
    log
      .child({ component: 'x' })
      .error('bad request signed with s3cr3t-signing-value', new Error('s3cr3t-signing-value leaked'));
    expect(lines.join('\n')).not.toContain('s3cr3t-signing-value');
    expect(lines.join('\n')).toContain('[redacted]');
    // Values too short to be a real secret are left alone, or ordinary words would vanish.
    log.info('a short word');
    expect(lines.at(-1)).toContain('a short word');
  });
});
