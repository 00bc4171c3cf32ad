import { describe, expect, it } from 'vitest';
import { parseHelpdeskConfig } from '../../../src/config/desks.js';
import { changedFields, deskToInput, parseDeskInput } from '../../../src/desks/admin/deskInput.js';

const config = parseHelpdeskConfig({
  timezone: 'Europe/Madrid',
  desks: [
    {
      key: 'it',
      name: 'IT',
      channel: 'C_IT',
      members: ['U_A', 'U_B'],
      leads: ['U_A'],
      businessHours: { mon: ['09:00-13:00', '14:00-18:00'], sat: '10:00-24:00', sun: [] },
      holidays: ['2030-12-25', '2030-01-01'],
      sla: { high: { firstResponse: '45m', nextResponse: '2h', resolution: '1h30m' } },
      reminders: ['75%', '30m'],
      templates: { created: 'Got it: {folio}' },
    },
  ],
  categories: [{ name: 'Laptops', desk: 'it' }],
});
const desk = config.desks[0];
if (!desk) throw new Error('no desk');

describe('a desk written as the configuration file writes it', () => {
  it('parses back to the same desk, so an untouched form changes nothing', () => {
    const parsed = parseDeskInput(deskToInput(desk));
    expect(parsed.ok && changedFields(desk, parsed.desk)).toEqual([]);
    expect(deskToInput(desk)).toMatchObject({
      businessHours: { mon: ['09:00-13:00', '14:00-18:00'], sat: ['10:00-24:00'] },
      sla: { high: { firstResponse: '45m', nextResponse: '2h', resolution: '1h30m' } },
      reminders: ['75%', '30m'],
    });
  });

  it('reports each invalid field by its path, with the file’s messages', () => {
    const parsed = parseDeskInput({
      ...deskToInput(desk),
      sla: { high: { firstResponse: 'soon', resolution: '4h' } },
      businessHours: { mon: '9-5' },
      holidays: ['25/12/2030'],
      channel: '#it',
    });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        channel: 'must be a Slack channel id such as C0123ABCD (channel details → About)',
        'businessHours.mon.0': '"9-5" is not a time range such as 09:00-17:00',
        'holidays.0': 'must be a date written YYYY-MM-DD',
        'sla.high.firstResponse': '"soon" is not a duration such as 30m, 4h or 1h30m',
      },
    });
  });

  it('checks that leads are members (once the fields themselves are valid)', () => {
    expect(parseDeskInput({ ...deskToInput(desk), leads: ['U_A', 'U_Z'] })).toEqual({
      ok: false,
      errors: { 'leads.1': 'U_Z must also be listed in members' },
    });
  });

  it('refuses a week without business hours', () => {
    expect(parseDeskInput({ ...deskToInput(desk), businessHours: {} })).toEqual({
      ok: false,
      errors: { businessHours: 'Open the desk on at least one day: SLA targets count business hours.' },
    });
  });

  it('lists the fields an edit changes', () => {
    const parsed = parseDeskInput({
      ...deskToInput(desk),
      name: 'IT support',
      escalationChannel: 'C_ESC',
      holidays: [],
    });
    expect(parsed.ok && changedFields(desk, parsed.desk)).toEqual(['name', 'escalationChannel', 'holidays']);
  });

  it('keeps a mailbox through the file’s notation, normalized, and sees it set and removed as changes', () => {
    const parsed = parseDeskInput({ ...deskToInput(desk), mailbox: ' IT@Example.com' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.desk.mailbox).toBe('it@example.com');
    expect(changedFields(desk, parsed.desk)).toEqual(['mailbox']);
    expect(deskToInput(parsed.desk).mailbox).toBe('it@example.com');
    const back = parseDeskInput(deskToInput(parsed.desk));
    expect(back.ok && changedFields(parsed.desk, back.desk)).toEqual([]);

    const removed = parseDeskInput({ ...deskToInput(parsed.desk), mailbox: undefined });
    expect(removed.ok && removed.desk.mailbox).toBeNull();
    expect(parseDeskInput({ ...deskToInput(desk), mailbox: 'it at example.com' })).toEqual({
      ok: false,
      errors: { mailbox: 'must be a mail address such as it@example.com' },
    });
  });
});
