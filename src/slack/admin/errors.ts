import type { FolioError } from '../../domain/errors.js';
import { hoursInput, slaInput, templateInput } from '../ids.js';

/**
 * Where a use case's field error is shown in an administration modal: `sla.high.resolution` beside
 * `sla_high_resolution`, `leads.2` beside `leads`, `businessHours.mon` beside `hours_mon`. Errors
 * without a field of this modal (a refusal, a stale form) go beside its first input, since Slack shows
 * `response_action: errors` only beside input blocks.
 */
export function blockOfField(path: string): string {
  const [head = '', a, b] = path.split('.');
  if (head === 'sla' && a) {
    return slaInput(a, b === 'nextResponse' || b === 'resolution' ? b : 'firstResponse');
  }
  if (head === 'businessHours') return hoursInput(a ?? 'mon');
  if (head === 'templates' && a) return templateInput(a);
  return head;
}

export function blockErrors(
  error: FolioError,
  inputs: readonly string[],
  message = error.message,
): Record<string, string> {
  const first = inputs[0] ?? '';
  const errors: Record<string, string> = {};
  for (const [field, text] of Object.entries(error.fields)) {
    const id = blockOfField(field);
    if (inputs.includes(id)) errors[id] ??= text;
  }
  if (Object.keys(errors).length === 0) errors[first] = message;
  return errors;
}
