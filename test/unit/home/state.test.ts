import { describe, expect, it } from 'vitest';
import { DEFAULT_HOME_STATE, type HomeState, resized } from '../../../src/home/state.js';
import { homeStateOfRow } from '../../../src/home/store.js';
import { homeMetadata, readHomeState, readResizeValue, resizeValue } from '../../../src/slack/home/state.js';

const state: HomeState = { listSizes: { requests: 10, 'toAssign:it': 40 }, focusedDesk: 'it' };

describe('the Home state in home_views', () => {
  it('reads rows with keys in full, and rows written in the compact form before', () => {
    expect(homeStateOfRow(state)).toEqual(state);
    expect(homeStateOfRow({ listSizes: { assigned: 15 } })).toEqual({ listSizes: { assigned: 15 } });
    expect(homeStateOfRow({ s: { requests: 10, 'toAssign:it': 40 }, f: 'it' })).toEqual(state);
    expect(homeStateOfRow({ s: { requests: 10 } })).toEqual({ listSizes: { requests: 10 } });
    expect(homeStateOfRow({})).toEqual(DEFAULT_HOME_STATE);
  });

  it('reads an unreadable row as the defaults', () => {
    expect(homeStateOfRow({ listSizes: { requests: 41 } })).toEqual(DEFAULT_HOME_STATE);
    expect(homeStateOfRow({ s: { 'nowhere:x': 10 } })).toEqual(DEFAULT_HOME_STATE);
    expect(homeStateOfRow('sizes')).toEqual(DEFAULT_HOME_STATE);
  });
});

describe('the Home state a Slack view carries', () => {
  it('is compact, and reads back as it was', () => {
    expect(JSON.parse(homeMetadata(state))).toEqual({ s: { requests: 10, 'toAssign:it': 40 }, f: 'it' });
    expect(JSON.parse(homeMetadata(DEFAULT_HOME_STATE))).toEqual({ s: {} });
    expect(readHomeState(homeMetadata(state))).toEqual(state);
    expect(readHomeState(undefined)).toEqual(DEFAULT_HOME_STATE);
    expect(readHomeState('not json')).toEqual(DEFAULT_HOME_STATE);
  });

  it('carries a resize in each button, which changes the state', () => {
    const value = resizeValue({ list: 'toAssign:it', size: 10 });
    expect(JSON.parse(value)).toEqual({ k: 'toAssign:it', n: 10 });
    const resize = readResizeValue(value);
    expect(resize).toEqual({ list: 'toAssign:it', size: 10 });
    expect(resize && resized(state, resize).listSizes).toEqual({ requests: 10, 'toAssign:it': 10 });
    expect(resized(state, { list: 'requests', size: 5 }).listSizes).toEqual({ 'toAssign:it': 40 });
    expect(readResizeValue(JSON.stringify({ k: 'toAssign:it', n: 41 }))).toBeUndefined();
  });
});
