import { describe, expect, it } from 'vitest';
import { FolioError } from '../../../src/domain/errors.js';
import { blockErrors, blockOfField } from '../../../src/slack/admin/errors.js';
import {
  readDeskHours,
  readDeskSettings,
  readDeskSla,
  readDeskTemplates,
  splitList,
} from '../../../src/slack/admin/forms.js';
import type { StateValues } from '../../../src/slack/kit/state.js';

const text = (value: string | null) => ({ type: 'plain_text_input', value });

describe('reading the administration forms', () => {
  it('reads the settings form, leaving out the inputs the form did not have', () => {
    const values: StateValues = {
      name: { name: text('IT support') },
      channel: { channel: { type: 'conversations_select', selected_conversation: 'C_IT' } },
      escalationChannel: { escalationChannel: { type: 'conversations_select', selected_conversation: null } },
      members: { members: { type: 'multi_users_select', selected_users: ['U_A', 'U_B'] } },
      leads: { leads: { type: 'multi_users_select', selected_users: [] } },
      assignment: { assignment: { type: 'static_select', selected_option: { value: 'none' } } },
      autoCloseAfterDays: { autoCloseAfterDays: { type: 'number_input', value: '5' } },
    };
    expect(readDeskSettings(values)).toEqual({
      name: 'IT support',
      channel: 'C_IT',
      escalationChannel: undefined,
      members: ['U_A', 'U_B'],
      leads: [],
      assignment: 'none',
      autoCloseAfterDays: 5,
    });
    expect('private' in readDeskSettings(values)).toBe(false);
    const checked = {
      ...values,
      private: { private: { type: 'checkboxes', selected_options: [{ value: 'private' }] } },
    };
    expect(readDeskSettings(checked).private).toBe(true);
  });

  it('reads the mailbox as typed (the desk schema trims and lowers it); emptied, it means none', () => {
    const email = (value: string | null) => ({ mailbox: { mailbox: { type: 'email_text_input', value } } });
    expect('mailbox' in readDeskSettings({})).toBe(false);
    expect(readDeskSettings(email('IT@Example.com'))).toEqual({ mailbox: 'IT@Example.com' });
    expect(readDeskSettings(email(null))).toEqual({ mailbox: undefined });
    expect(readDeskSettings(email('   '))).toEqual({ mailbox: undefined });
  });

  it('reads SLA targets, reminders, hours, holidays and templates in the file’s notation', () => {
    const sla = readDeskSla({
      sla_high_firstResponse: { sla_high_firstResponse: text('45m') },
      sla_high_resolution: { sla_high_resolution: text('6h') },
      sla_high_nextResponse: { sla_high_nextResponse: text(null) },
      reminders: { reminders: text('75%, 30m') },
    });
    expect(sla.sla?.high).toEqual({ firstResponse: '45m', resolution: '6h' });
    expect(sla.reminders).toEqual(['75%', '30m']);
    expect(
      readDeskHours({
        timezone: { timezone: text(' Europe/Madrid ') },
        hours_mon: { hours_mon: text('09:00-13:00, 14:00-18:00') },
        hours_tue: { hours_tue: text('') },
        holidays: { holidays: text('2030-12-25\n2030-01-01, 2030-05-01') },
      }),
    ).toEqual({
      timezone: 'Europe/Madrid',
      businessHours: { mon: ['09:00-13:00', '14:00-18:00'] },
      holidays: ['2030-12-25', '2030-01-01', '2030-05-01'],
    });
    expect(
      readDeskTemplates({
        template_created: { template_created: text('Hi {requester}') },
        template_resolved: { template_resolved: text('  ') },
      }),
    ).toEqual({
      templates: { created: 'Hi {requester}' },
    });
    expect(splitList(' a; b\n\nc ,')).toEqual(['a', 'b', 'c']);
  });
});

describe('errors beside the fields', () => {
  it.each([
    ['sla.high.resolution', 'sla_high_resolution'],
    ['sla.low', 'sla_low_firstResponse'],
    ['businessHours.mon.0', 'hours_mon'],
    ['businessHours', 'hours_mon'],
    ['templates.created', 'template_created'],
    ['leads.2', 'leads'],
    ['name', 'name'],
  ])('%s is shown beside %s', (field, block) => {
    expect(blockOfField(field)).toBe(block);
  });

  it('puts refusals and fields the modal lacks beside its first input', () => {
    const inputs = ['name', 'channel', 'leads'];
    expect(blockErrors(new FolioError('forbidden', 'No.'), inputs)).toEqual({ name: 'No.' });
    expect(
      blockErrors(new FolioError('invalid_input', 'Bad', { 'leads.1': 'x', timezone: 'y' }), inputs),
    ).toEqual({ leads: 'x' });
    expect(blockErrors(new FolioError('invalid_input', 'Bad', { timezone: 'y' }), inputs)).toEqual({
      name: 'Bad',
    });
  });
});
