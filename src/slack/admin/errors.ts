import type { FolioError } from '../../domain/errors.js';
import { hoursInput, slaInput, templateInput } from '../ids.js';

/**
 * Where a use case's field error is shown in an administration modal: `sla.high.resolution` beside
 * `sla_high_resolution`, `leads.2` beside `leads`, `businessHours.mon` beside `hours_mon`. Errors
 * without a field of this modal (a refusal, a stale form) go beside its first input, since Slack shows
 * `response_action: errors` only beside input blocks.
 */
export function blockOfField(path: string): string {
  const [head = '', second, third] = path.split('.');
  if (head === 'sla' && second) {
    return slaInput(second, third === 'nextResponse' || third === 'resolution' ? third : 'firstResponse');
  }
  if (head === 'businessHours') return hoursInput(second ?? 'mon');
  if (head === 'templates' && second) return templateInput(second);
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
