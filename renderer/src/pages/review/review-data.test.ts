// Unit tests of the review-queue shaping: request bodies, grouping by member, history order.
import { describe, expect, it } from 'vitest';
import {
  flagRequestBody,
  groupFlagsByMember,
  historyInOrder,
  memberLabel,
  resolveRequestBody,
  type ReviewFlag,
} from './review-data.js';
import { openFlag } from './fixtures.js';

function flag(id: number, viewerId: string, createdAt: string, extra: Partial<ReviewFlag> = {}): ReviewFlag {
  return openFlag({ id, viewerId, createdAt, note: `note ${id}`, ...extra });
}

describe('request bodies', () => {
  it('flags a candidate with a trimmed note', () => {
    expect(flagRequestBody({ viewerId: 'v', slateId: 's', candidateId: 'c', note: '  rude  ' })).toEqual({
      viewerId: 'v',
      candidateId: 'c',
      slateId: 's',
      note: 'rude',
    });
  });

  it('leaves candidateId out for a whole slate and slateId out when unknown', () => {
    expect(flagRequestBody({ viewerId: 'v', slateId: 's', candidateId: null, note: 'x' })).toEqual({
      viewerId: 'v',
      slateId: 's',
      note: 'x',
    });
    expect(flagRequestBody({ viewerId: 'v', slateId: null, note: 'x' })).toEqual({ viewerId: 'v', note: 'x' });
  });

  it('sends a resolution note only when there is one', () => {
    expect(resolveRequestBody('escalated', '  ')).toEqual({ outcome: 'escalated' });
    expect(resolveRequestBody('member_warned', ' warned by mail ')).toEqual({
      outcome: 'member_warned',
      note: 'warned by mail',
    });
  });
});

describe('groupFlagsByMember', () => {
  it('groups by flagged member, newest flag first in each group and across groups', () => {
    const groups = groupFlagsByMember([
      flag(1, 'a', '2026-01-01T10:00:00Z'),
      flag(2, 'b', '2026-01-03T10:00:00Z', { viewerName: 'Bea' }),
      flag(3, 'a', '2026-01-04T10:00:00Z', { viewerName: 'Ann' }),
      flag(4, 'b', '2026-01-02T10:00:00Z'),
    ]);
    expect(groups.map((group) => [group.viewerId, group.viewerName, group.flags.map((f) => f.id)])).toEqual([
      ['a', 'Ann', [3, 1]],
      ['b', 'Bea', [2, 4]],
    ]);
  });

  it('breaks ties on the same instant by id', () => {
    const groups = groupFlagsByMember([flag(9, 'a', '2026-01-01T10:00:00Z'), flag(5, 'a', '2026-01-01T10:00:00Z')]);
    expect(groups[0]?.flags.map((f) => f.id)).toEqual([5, 9]);
  });
});

describe('history and labels', () => {
  it('orders history oldest first', () => {
    const history = historyInOrder([
      { action: 'resolved', actor: 'r', outcome: 'no_action', note: null, at: '2026-01-02T00:00:00Z' },
      { action: 'opened', actor: 'r', outcome: null, note: 'n', at: '2026-01-01T00:00:00Z' },
    ]);
    expect(history.map((entry) => entry.action)).toEqual(['opened', 'resolved']);
  });

  it('shows a name with its id, or the id alone', () => {
    expect(memberLabel('demo-1', 'Ann')).toBe('Ann (demo-1)');
    expect(memberLabel('demo-1', null)).toBe('demo-1');
  });
});
