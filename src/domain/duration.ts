/**
 * Durations in the configuration file: `30m`, `4h`, `1h30m` (business time for SLA targets).
 * Days are deliberately not accepted: a "business day" depends on the desk's hours, so targets are
 * written in hours (three 8-hour business days = `24h`).
 */
const PART = /(\d+)\s*(h|m)/gy;

export function parseDurationMinutes(input: string): number | undefined {
  const text = input.trim().toLowerCase();
  if (text === '') return undefined;
  PART.lastIndex = 0;
  let minutes = 0;
  let end = 0;
  for (let match = PART.exec(text); match; match = PART.exec(text)) {
    const amount = Number(match[1]);
    minutes += match[2] === 'h' ? amount * 60 : amount;
    end = PART.lastIndex;
    while (text[PART.lastIndex] === ' ') PART.lastIndex++;
  }
  return end === text.length && end > 0 ? minutes : undefined;
}

export function formatMinutes(total: number): string {
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours === 0) return `${minutes}m`;
  return minutes === 0 ? `${hours}h` : `${hours}h${minutes}m`;
}
