import { describe, expect, it } from 'vitest';
import { mergeFromFile, settleMailboxes } from '../../../src/desks/merge.js';

interface Entry {
  name: string;
  channel: string | null;
  members: string[];
  sla: Record<string, { firstResponse: number; resolution: number }>;
}

const FIELDS = ['name', 'channel', 'members', 'sla'] as const;

const entry = (o: Partial<Entry> = {}): Entry => ({
  name: 'IT',
  channel: 'C_IT',
  members: ['U_ANA', 'U_BEN'],
  sla: { urgent: { firstResponse: 30, resolution: 240 } },
  ...o,
});

describe('mergeFromFile', () => {
  it('keeps edits made in Slack when the file did not change', () => {
    const base = entry();
    const current = entry({ name: 'IT Support', members: ['U_ANA', 'U_BEN', 'U_LIA'] });
    expect(mergeFromFile(base, current, entry(), FIELDS)).toEqual({
      value: current,
      changed: [],
      overridden: [],
    });
  });

  it('applies a file change to a field nobody edited in Slack', () => {
    const base = entry();
    const next = entry({ channel: 'C_IT_NEW' });
    expect(mergeFromFile(base, entry(), next, FIELDS)).toEqual({
      value: entry({ channel: 'C_IT_NEW' }),
      changed: ['channel'],
      overridden: [],
    });
  });

  it('applies the file’s change and keeps the Slack edit of another field', () => {
    const base = entry();
    const current = entry({ name: 'IT Support' });
    const next = entry({ channel: 'C_IT_NEW' });
    expect(mergeFromFile(base, current, next, FIELDS)).toEqual({
      value: entry({ name: 'IT Support', channel: 'C_IT_NEW' }),
      changed: ['channel'],
      overridden: [],
    });
  });

  it('lets the file win when both changed a field, and reports the Slack edit it replaced', () => {
    const base = entry();
    const current = entry({ members: ['U_ANA'], name: 'IT Support' });
    const next = entry({ members: ['U_ANA', 'U_BEN', 'U_HUGO'] });
    expect(mergeFromFile(base, current, next, FIELDS)).toEqual({
      value: entry({ name: 'IT Support', members: ['U_ANA', 'U_BEN', 'U_HUGO'] }),
      changed: ['members'],
      overridden: ['members'],
    });
  });

  it('reports nothing when Slack and the file made the same change', () => {
    const base = entry();
    const same = entry({ channel: 'C_IT_NEW' });
    expect(mergeFromFile(base, same, entry({ channel: 'C_IT_NEW' }), FIELDS)).toEqual({
      value: same,
      changed: [],
      overridden: [],
    });
  });

  it('with no base (the entry was first made in Slack) takes every field that differs, and reports it', () => {
    const current = entry({ name: 'Made in Slack', channel: null });
    const next = entry({ name: 'IT', channel: 'C_IT' });
    expect(mergeFromFile(null, current, next, FIELDS)).toEqual({
      value: next,
      changed: ['name', 'channel'],
      overridden: ['name', 'channel'],
    });
  });

  it('compares arrays and objects by content, whatever the key order', () => {
    const base = entry({ sla: { urgent: { firstResponse: 30, resolution: 240 } } });
    const current = entry({ sla: { urgent: { resolution: 240, firstResponse: 30 } } });
    const next = entry({
      members: [...entry().members],
      sla: { urgent: { resolution: 240, firstResponse: 30 } },
    });
    expect(mergeFromFile(base, current, next, FIELDS)).toEqual({
      value: current,
      changed: [],
      overridden: [],
    });
  });

  it('sees a reordered member list as a change (order matters for round robin)', () => {
    const next = entry({ members: ['U_BEN', 'U_ANA'] });
    expect(mergeFromFile(entry(), entry(), next, FIELDS)).toEqual({
      value: next,
      changed: ['members'],
      overridden: [],
    });
  });

  it('touches only the listed fields and leaves the inputs as they were', () => {
    const base = entry();
    const current = entry();
    const next = entry({ name: 'New name', channel: 'C_OTHER' });
    const result = mergeFromFile(base, current, next, ['channel']);
    expect(result).toEqual({ value: entry({ channel: 'C_OTHER' }), changed: ['channel'], overridden: [] });
    expect(current).toEqual(entry());
    expect(result.value).not.toBe(current);
  });
});

describe('settleMailboxes', () => {
  it('changes nothing when every address has one desk', () => {
    const claims = [
      { key: 'it', merged: 'it@example.com', file: 'it@example.com' },
      { key: 'hr', merged: 'people@example.com', file: 'hr@example.com' }, // an admin's edit, kept
      { key: 'ops', merged: null, file: undefined }, // made in Slack
    ];
    expect(settleMailboxes(claims)).toEqual({
      mailboxes: new Map([
        ['it', 'it@example.com'],
        ['hr', 'people@example.com'],
        ['ops', null],
      ]),
      yielded: [],
    });
  });

  it('gives the address to the desk the file gives it; the Slack edit holding it goes back to the file', () => {
    const { mailboxes, yielded } = settleMailboxes([
      { key: 'hr', merged: 'help@example.com', file: 'hr@example.com' },
      { key: 'it', merged: 'help@example.com', file: 'help@example.com' },
    ]);
    expect(mailboxes).toEqual(
      new Map([
        ['hr', 'hr@example.com'],
        ['it', 'help@example.com'],
      ]),
    );
    expect(yielded).toEqual([{ key: 'hr', from: 'help@example.com', to: 'hr@example.com', takenBy: 'it' }]);
  });

  it('follows a chain of Slack edits, and leaves a desk made in Slack without one', () => {
    const { mailboxes, yielded } = settleMailboxes([
      { key: 'it', merged: 'it@example.com', file: 'it@example.com' },
      // An admin gave IT's address to HR: back to HR's, which an admin gave to the Slack desk Ops.
      { key: 'hr', merged: 'it@example.com', file: 'hr@example.com' },
      { key: 'ops', merged: 'hr@example.com', file: undefined },
    ]);
    expect(mailboxes).toEqual(
      new Map([
        ['it', 'it@example.com'],
        ['hr', 'hr@example.com'],
        ['ops', null],
      ]),
    );
    expect(yielded).toEqual([
      { key: 'hr', from: 'it@example.com', to: 'hr@example.com', takenBy: 'it' },
      { key: 'ops', from: 'hr@example.com', to: null, takenBy: 'hr' },
    ]);
  });
});
