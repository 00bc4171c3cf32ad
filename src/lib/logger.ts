import { type Logger, LogLevel } from '@slack/bolt';

/**
 * Structured logs: one JSON object per line on stdout (stderr for errors), readable by any log
 * collector. It implements Bolt's Logger so the framework logs the same way. Anything that looks like
 * a Slack token, and the secret values given in `secrets` (the signing secret), are masked before a
 * line is written.
 */

const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

const SECRET = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)\b/g;
export const redact = (text: string): string =>
  text.replace(SECRET, (token) => `${token.slice(0, 5)}…[redacted]`);

export type Fields = Record<string, unknown>;

export interface FolioLogger extends Logger {
  /** A logger whose lines all carry `fields` (e.g. `{ job: 'sla' }`). */
  child(fields: Fields): FolioLogger;
}

type Sink = (line: string, level: LogLevel) => void;

const defaultSink: Sink = (line, level) => {
  (level === LogLevel.ERROR ? process.stderr : process.stdout).write(`${line}\n`);
};

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const out: Fields = { name: value.name, message: value.message, stack: value.stack };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = serialise(value.cause);
    return out;
  }
  return value;
}

export function createLogger(
  level: LogLevel | `${LogLevel}` = LogLevel.INFO,
  options: { name?: string; fields?: Fields; sink?: Sink; secrets?: readonly string[] } = {},
): FolioLogger {
  let current = level as LogLevel;
  let name = options.name ?? 'folio';
  const base = options.fields ?? {};
  const sink = options.sink ?? defaultSink;
  // Short values would mask ordinary words; a real secret is long.
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  const mask = (line: string) =>
    secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), redact(line));

  const write = (lvl: LogLevel, args: unknown[]) => {
    if (ORDER[lvl] < ORDER[current]) return;
    const fields: Fields = {};
    const words: string[] = [];
    for (const arg of args) {
      if (arg instanceof Error) fields.err = serialise(arg);
      else if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) Object.assign(fields, arg);
      else words.push(typeof arg === 'string' ? arg : JSON.stringify(arg));
    }
    const record = {
      time: new Date().toISOString(),
      level: lvl,
      name,
      ...base,
      msg: words.join(' '),
      ...fields,
    };
    let line: string;
    try {
      line = JSON.stringify(record, (_key, value: unknown) => serialise(value));
    } catch {
      line = JSON.stringify({ time: record.time, level: lvl, name, msg: words.join(' ') });
    }
    sink(mask(line), lvl);
  };

  return {
    debug: (...args: unknown[]) => write(LogLevel.DEBUG, args),
    info: (...args: unknown[]) => write(LogLevel.INFO, args),
    warn: (...args: unknown[]) => write(LogLevel.WARN, args),
    error: (...args: unknown[]) => write(LogLevel.ERROR, args),
    setLevel: (newLevel: LogLevel) => {
      current = newLevel;
    },
    getLevel: () => current,
    setName: (newName: string) => {
      name = newName;
    },
    child: (fields: Fields) => createLogger(current, { name, fields: { ...base, ...fields }, sink, secrets }),
  };
}
