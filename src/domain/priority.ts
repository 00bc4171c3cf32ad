export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PRIORITY_LABEL: Record<Priority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};

export const DEFAULT_PRIORITY: Priority = 'medium';

/** A priority given exactly as Folio writes it (an option's value), or undefined. */
export const asPriority = (value: string | undefined): Priority | undefined =>
  PRIORITIES.find((priority) => priority === value);

/** Parses a typed priority; "normal" (the second seed's word) means Medium. */
export function parsePriority(input: string): Priority | undefined {
  const key = input.trim().toLowerCase();
  if (key === 'normal') return 'medium';
  return (PRIORITIES as readonly string[]).includes(key) ? (key as Priority) : undefined;
}
