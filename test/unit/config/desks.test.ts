import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHelpdeskConfig, parseHelpdeskConfig } from '../../../src/config/desks.js';
import { type DeskSettings, type HelpdeskConfig, MAX_MAILBOX_LENGTH } from '../../../src/desks/model.js';
import { ConfigError } from '../../../src/domain/errors.js';

const EXAMPLE = fileURLToPath(new URL('../../../folio.example.yaml', import.meta.url));

const NINE_TO_FIVE = [[540, 1020]] as [number, number][];
const DEFAULT_HOURS = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
};
const DEFAULT_SLA = {
  urgent: { firstResponse: 30, resolution: 240 },
  high: { firstResponse: 60, resolution: 480 },
  medium: { firstResponse: 240, resolution: 1440 },
  low: { firstResponse: 480, resolution: 2400 },
};

/** The lines of a ConfigError after its first ("… is not valid:"), or a failure if nothing is thrown. */
function issuesOf(input: unknown): string[] {
  try {
    parseHelpdeskConfig(input);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const [first, ...rest] = e.message.split('\n');
    expect(first).toBe('The desks configuration (inline) is not valid:');
    return rest;
  }
  throw new Error('the configuration was accepted');
}

/** A valid configuration with one desk, changed where a test says. */
const withDesk = (desk: Record<string, unknown>) => ({
  desks: [{ key: 'it', name: 'IT', ...desk }],
  categories: [{ name: 'IT', desk: 'it' }],
});

describe('parseHelpdeskConfig: defaults', () => {
  it('turns the seed defaults into one Helpdesk desk with the four seed categories', async () => {
    const expected: HelpdeskConfig = {
      desks: [
        {
          key: 'helpdesk',
          name: 'Helpdesk',
          channel: null,
          escalationChannel: null,
          mailbox: null,
          private: false,
          members: [],
          leads: [],
          assignment: 'round_robin',
          autoCloseAfterDays: 3,
          folioPrefix: 'TKT',
          timezone: 'UTC',
          businessHours: DEFAULT_HOURS,
          holidays: [],
          sla: DEFAULT_SLA,
          reminders: [{ kind: 'elapsed_percent', value: 75 }],
          templates: {},
        },
      ],
      categories: [
        { name: 'Technical support', desk: 'helpdesk', owner: null, position: 0 },
        { name: 'HR', desk: 'helpdesk', owner: null, position: 1 },
        { name: 'IT', desk: 'helpdesk', owner: null, position: 2 },
        { name: 'Other', desk: 'helpdesk', owner: null, position: 3 },
      ],
    };
    expect(await loadHelpdeskConfig(undefined)).toEqual(expected);
    expect(await loadHelpdeskConfig('')).toEqual(expected);
  });

  it('gives a minimal desk every default', () => {
    const [desk] = parseHelpdeskConfig(withDesk({ channel: 'C_IT' })).desks;
    expect(desk).toEqual({
      key: 'it',
      name: 'IT',
      channel: 'C_IT',
      escalationChannel: 'C_IT',
      mailbox: null,
      private: false,
      members: [],
      leads: [],
      assignment: 'round_robin',
      autoCloseAfterDays: 3,
      folioPrefix: 'TKT',
      timezone: 'UTC',
      businessHours: DEFAULT_HOURS,
      holidays: [],
      sla: DEFAULT_SLA,
      reminders: [{ kind: 'elapsed_percent', value: 75 }],
      templates: {},
    } satisfies DeskSettings);
  });
});

describe('parseHelpdeskConfig: desk settings over top-level defaults', () => {
  const config = parseHelpdeskConfig({
    folioPrefix: 'HD',
    timezone: 'America/New_York',
    businessHours: { mon: '08:00-12:00', tue: ['13:00-17:00', '08:00-12:00'] },
    reminders: ['50%'],
    desks: [
      { key: 'it', name: 'IT', channel: 'C_IT' },
      {
        key: 'hr',
        name: 'People & HR',
        channel: 'G_HR',
        escalationChannel: 'C_HR_ESC',
        folioPrefix: 'HR',
        timezone: 'Europe/Berlin',
        businessHours: { sat: '10:00-14:00' },
        reminders: ['30m', '1h 30m'],
        holidays: ['2027-01-01', '2026-12-25', '2027-01-01'],
        sla: { urgent: { firstResponse: '15m', resolution: '2h', nextResponse: '30m' } },
        templates: { created: 'Hello {requester}' },
      },
    ],
    categories: [
      { name: 'Laptop', desk: 'it', owner: 'U_BEN' },
      { name: 'Payroll', desk: 'hr' },
    ],
  });
  const [itDesk, hr] = config.desks;

  it('a desk without its own settings takes the top-level ones', () => {
    expect(itDesk).toMatchObject({
      folioPrefix: 'HD',
      timezone: 'America/New_York',
      businessHours: {
        mon: [[480, 720]],
        tue: [
          [480, 720],
          [780, 1020],
        ],
      },
      reminders: [{ kind: 'elapsed_percent', value: 50 }],
      escalationChannel: 'C_IT',
      holidays: [],
      sla: DEFAULT_SLA,
    });
  });

  it("a desk's own settings replace the top-level ones", () => {
    expect(hr).toMatchObject({
      folioPrefix: 'HR',
      timezone: 'Europe/Berlin',
      businessHours: { sat: [[600, 840]] },
      reminders: [
        { kind: 'minutes_before', value: 30 },
        { kind: 'minutes_before', value: 90 },
      ],
      escalationChannel: 'C_HR_ESC',
      templates: { created: 'Hello {requester}' },
    });
    expect(hr?.businessHours).toEqual({ sat: [[600, 840]] });
  });

  it('fills SLA targets per priority: the desk’s where given, the defaults elsewhere', () => {
    expect(hr?.sla).toEqual({
      ...DEFAULT_SLA,
      urgent: { firstResponse: 15, resolution: 120, nextResponse: 30 },
    });
  });

  it('keeps each holiday once, in date order', () => {
    expect(hr?.holidays).toEqual(['2026-12-25', '2027-01-01']);
  });

  it('keeps categories in file order with their owner', () => {
    expect(config.categories).toEqual([
      { name: 'Laptop', desk: 'it', owner: 'U_BEN', position: 0 },
      { name: 'Payroll', desk: 'hr', owner: null, position: 1 },
    ]);
  });
});

describe('parseHelpdeskConfig: a desk’s mailbox', () => {
  const twoDesks = (it: Record<string, unknown>, hr: Record<string, unknown>) => ({
    desks: [
      { key: 'it', name: 'IT', ...it },
      { key: 'hr', name: 'HR', ...hr },
    ],
    categories: [{ name: 'IT', desk: 'it' }],
  });

  it('is kept as one address, trimmed and in lower case; a desk without one has none', () => {
    const config = parseHelpdeskConfig(twoDesks({ mailbox: '  IT-Support@Example.COM ' }, {}));
    expect(config.desks.map((desk) => [desk.key, desk.mailbox])).toEqual([
      ['it', 'it-support@example.com'],
      ['hr', null],
    ]);
  });

  it('refuses what is not a mail address', () => {
    for (const mailbox of [
      'it',
      'it@example',
      'IT Desk <it@example.com>',
      'it@example.com, hr@example.com',
      '',
    ]) {
      expect(issuesOf(withDesk({ mailbox }))).toEqual([
        '  desks[0].mailbox: must be a mail address such as it@example.com',
      ]);
    }
    expect(issuesOf(withDesk({ mailbox: ['it@example.com'] }))).toEqual([
      '  desks[0].mailbox: Invalid input: expected string, received array',
    ]);
  });

  it(`refuses an address longer than ${MAX_MAILBOX_LENGTH} characters`, () => {
    const local = 'a'.repeat(64);
    const tooLong = `${local}@${'b'.repeat(MAX_MAILBOX_LENGTH - 64 - 4)}.com`;
    expect(tooLong).toHaveLength(MAX_MAILBOX_LENGTH + 1);
    expect(issuesOf(withDesk({ mailbox: tooLong }))).toEqual([
      `  desks[0].mailbox: must be at most ${MAX_MAILBOX_LENGTH} characters`,
    ]);
  });

  it('refuses one address for two desks, whatever its case, naming both desks', () => {
    expect(issuesOf(twoDesks({ mailbox: 'help@example.com' }, { mailbox: 'Help@Example.com' }))).toEqual([
      '  desks[1].mailbox: "help@example.com" is the mailbox of both "it" and "hr": an address belongs to one desk',
    ]);
  });
});

describe('parseHelpdeskConfig: errors name the path of the bad field', () => {
  it('desks[0].channel', () => {
    expect(issuesOf(withDesk({ channel: 'general' }))).toEqual([
      '  desks[0].channel: must be a Slack channel id such as C0123ABCD (channel details → About)',
    ]);
  });

  it('desks[1].sla.high.resolution', () => {
    expect(
      issuesOf({
        desks: [
          { key: 'it', name: 'IT' },
          { key: 'hr', name: 'HR', sla: { high: { firstResponse: '1h', resolution: '2 days' } } },
        ],
        categories: [{ name: 'IT', desk: 'it' }],
      }),
    ).toEqual(['  desks[1].sla.high.resolution: "2 days" is not a duration such as 30m, 4h or 1h30m']);
  });

  it('desks[0].businessHours.mon[0], also when the day is a single range', () => {
    expect(issuesOf(withDesk({ businessHours: { mon: '9-5' } }))).toEqual([
      '  desks[0].businessHours.mon[0]: "9-5" is not a time range such as 09:00-17:00',
    ]);
    expect(issuesOf(withDesk({ businessHours: { mon: ['09:00-12:00', '17:00-09:00'] } }))).toEqual([
      '  desks[0].businessHours.mon[1]: "17:00-09:00" is not a time range such as 09:00-17:00',
    ]);
  });

  it('overlapping ranges of one day', () => {
    expect(issuesOf(withDesk({ businessHours: { tue: ['09:00-13:00', '12:00-14:00'] } }))).toEqual([
      '  desks[0].businessHours.tue: time ranges of one day must not overlap',
    ]);
  });

  it('categories[2].desk, listing the known desks', () => {
    expect(
      issuesOf({
        desks: [
          { key: 'it', name: 'IT' },
          { key: 'hr', name: 'HR' },
        ],
        categories: [
          { name: 'IT', desk: 'it' },
          { name: 'HR', desk: 'hr' },
          { name: 'Ops', desk: 'ops' },
        ],
      }),
    ).toEqual(['  categories[2].desk: "ops" is not a desk key; known desks: it, hr']);
  });

  it('a desk key used twice', () => {
    expect(
      issuesOf({
        desks: [
          { key: 'it', name: 'IT' },
          { key: 'it', name: 'IT again' },
        ],
        categories: [{ name: 'IT', desk: 'it' }],
      }),
    ).toEqual(['  desks[1].key: "it" is used twice']);
  });

  it('a category name used twice, whatever its case', () => {
    expect(
      issuesOf({
        desks: [{ key: 'it', name: 'IT' }],
        categories: [
          { name: 'Laptops', desk: 'it' },
          { name: 'laptops', desk: 'it' },
        ],
      }),
    ).toEqual(['  categories[1].name: "laptops" is used twice']);
  });

  it('a lead who is not among the members', () => {
    expect(issuesOf(withDesk({ members: ['U_ANA', 'U_BEN'], leads: ['U_BEN', 'U_LIA'] }))).toEqual([
      '  desks[0].leads[1]: U_LIA must also be listed in members',
    ]);
  });

  it('unknown keys, at the level where they appear', () => {
    expect(
      issuesOf({
        ...withDesk({ colour: 'blue', sla: { critical: { firstResponse: '1h', resolution: '2h' } } }),
        owner: 'U_ANA',
      }),
    ).toEqual([
      '  desks[0].sla: Unrecognized key: "critical"',
      '  desks[0]: Unrecognized key: "colour"',
      '  (top level): Unrecognized key: "owner"',
    ]);
  });

  it('every bad field of a desk at once', () => {
    expect(
      issuesOf(
        withDesk({
          autoCloseAfterDays: 0,
          folioPrefix: 'tkt',
          timezone: 'Mars/Olympus',
          holidays: ['2026-13-01'],
          reminders: ['abc', '75%'],
          members: ['U_ANA', 'ana'],
          templates: { welcome: 'Hi' },
        }),
      ),
    ).toEqual([
      '  desks[0].members[1]: must be a Slack user id such as U0123ABCD',
      '  desks[0].autoCloseAfterDays: Too small: expected number to be >=1',
      '  desks[0].folioPrefix: must be 1–10 capital letters',
      '  desks[0].timezone: must be an IANA time zone such as Europe/Madrid',
      '  desks[0].holidays[0]: must be a date written YYYY-MM-DD',
      '  desks[0].reminders[0]: "abc" is not a reminder such as 75% or 30m',
      '  desks[0].templates: Unrecognized key: "welcome"',
    ]);
  });

  it('a zero duration', () => {
    expect(issuesOf(withDesk({ sla: { urgent: { firstResponse: '0m', resolution: '4h' } } }))).toEqual([
      '  desks[0].sla.urgent.firstResponse: "0m" is not a duration such as 30m, 4h or 1h30m',
    ]);
  });

  it('empty lists of desks and categories', () => {
    expect(issuesOf({ desks: [], categories: [] })).toEqual([
      '  desks: must list at least one desk',
      '  categories: must list at least one category',
    ]);
  });

  it('something that is not an object at all', () => {
    expect(issuesOf(null)).toEqual(['  (top level): Invalid input: expected object, received null']);
  });
});

describe('loadHelpdeskConfig', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'folio-desks-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads folio.example.yaml with every default resolved', async () => {
    const itHours = {
      mon: NINE_TO_FIVE,
      tue: NINE_TO_FIVE,
      wed: NINE_TO_FIVE,
      thu: NINE_TO_FIVE,
      fri: [
        [540, 780],
        [840, 1020],
      ],
    };
    const eightToFour = [[480, 960]];
    expect(await loadHelpdeskConfig(EXAMPLE)).toEqual({
      desks: [
        {
          key: 'it',
          name: 'IT',
          channel: 'C0123ITDESK',
          escalationChannel: 'C0123ITESC',
          mailbox: 'it@example.com',
          private: false,
          members: ['U0123ANA', 'U0123BEN', 'U0123LIA'],
          leads: ['U0123LIA'],
          assignment: 'round_robin',
          autoCloseAfterDays: 3,
          folioPrefix: 'TKT',
          timezone: 'Europe/Madrid',
          businessHours: itHours,
          holidays: ['2026-12-25', '2027-01-01'],
          sla: { ...DEFAULT_SLA, low: { firstResponse: 480, resolution: 2400, nextResponse: 480 } },
          reminders: [
            { kind: 'elapsed_percent', value: 75 },
            { kind: 'minutes_before', value: 30 },
          ],
          templates: { created: 'Thanks! *{folio}* is with IT: {subject}. We answer within business hours.' },
        },
        {
          key: 'hr',
          name: 'People & HR',
          channel: 'G0123HRDESK',
          escalationChannel: 'G0123HRDESK',
          mailbox: null,
          private: true,
          members: ['U0123HUGO'],
          leads: ['U0123HUGO'],
          assignment: 'fewest_open',
          autoCloseAfterDays: 3,
          folioPrefix: 'TKT',
          timezone: 'Europe/London',
          businessHours: { mon: eightToFour, tue: eightToFour, wed: eightToFour, thu: eightToFour },
          holidays: [],
          sla: DEFAULT_SLA,
          reminders: [
            { kind: 'elapsed_percent', value: 75 },
            { kind: 'minutes_before', value: 30 },
          ],
          templates: {},
        },
      ],
      categories: [
        { name: 'Technical support', desk: 'it', owner: null, position: 0 },
        { name: 'IT', desk: 'it', owner: 'U0123BEN', position: 1 },
        { name: 'HR', desk: 'hr', owner: null, position: 2 },
        { name: 'Other', desk: 'it', owner: null, position: 3 },
      ],
    });
  });

  it('reads a JSON file', async () => {
    const path = join(dir, 'folio.json');
    await writeFile(
      path,
      JSON.stringify({
        folioPrefix: 'REQ',
        desks: [{ key: 'ops', name: 'Ops', channel: 'C_OPS', assignment: 'none' }],
        categories: [{ name: 'Access', desk: 'ops' }],
      }),
    );
    const config = await loadHelpdeskConfig(path);
    expect(config.desks.map((d) => [d.key, d.folioPrefix, d.channel, d.assignment])).toEqual([
      ['ops', 'REQ', 'C_OPS', 'none'],
    ]);
    expect(config.categories).toEqual([{ name: 'Access', desk: 'ops', owner: null, position: 0 }]);
  });

  it('names the missing file', async () => {
    const path = join(dir, 'nowhere', 'folio.yaml');
    await expect(loadHelpdeskConfig(path)).rejects.toThrow(ConfigError);
    await expect(loadHelpdeskConfig(path)).rejects.toThrow(
      `HELPDESK_CONFIG points at ${path}, which cannot be read`,
    );
  });

  it('says when the file is not YAML', async () => {
    const path = join(dir, 'broken.yaml');
    await writeFile(path, 'desks: [{ key: it, name: IT\ncategories: {\n');
    await expect(loadHelpdeskConfig(path)).rejects.toThrow(ConfigError);
    await expect(loadHelpdeskConfig(path)).rejects.toThrow(
      `The desks configuration ${path} is not valid YAML or JSON: `,
    );
  });

  it('names the file and the bad field when the YAML is well formed but wrong', async () => {
    const path = join(dir, 'wrong.yaml');
    await writeFile(
      path,
      'desks:\n  - key: it\n    name: IT\n    channel: general\ncategories:\n  - { name: IT, desk: it }\n',
    );
    await expect(loadHelpdeskConfig(path)).rejects.toThrow(
      `The desks configuration ${path} is not valid:\n` +
        '  desks[0].channel: must be a Slack channel id such as C0123ABCD (channel details → About)',
    );
  });
});
