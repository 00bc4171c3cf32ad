/** How statistics read in Slack: short durations and percentages. */

/** 42s, 12m, 3h 20m, 2d 4h: the two largest units, rounded down. */
export function formatDuration(seconds: number): string {
  const totalSeconds = Math.max(0, Math.round(seconds));
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** 23 of 25 → "92%": the nearest whole percent, but never 100% unless all, nor 0% unless none. */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return '–';
  const pct = Math.round((part / whole) * 100);
  const bounded = part === whole ? 100 : part === 0 ? 0 : Math.min(99, Math.max(1, pct));
  return `${bounded}%`;
}
