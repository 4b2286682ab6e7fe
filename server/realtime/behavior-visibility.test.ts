// Unit tests of who sees which behaviour event: a member only likes received and matches, never across a
// block or about others; staff everything, narrowed by their filters.
import { describe, expect, it } from 'vitest';
import { BEHAVIOR_EVENT_KINDS, MEMBER_VISIBLE_KINDS } from '../../shared/schemas/realtime.js';
import type { BehaviorEvent } from './behavior-events.repository.js';
import { visibleTo, type BehaviorAudience } from './behavior-visibility.js';

const event = (overrides: Partial<BehaviorEvent>): BehaviorEvent => ({
  id: 7n,
  kind: 'like',
  actorId: 'x',
  targetId: 'me',
  slateId: '5f0c1a9e-0000-4000-8000-000000000000',
  createdAt: '2026-12-03T10:00:00.000Z',
  hiddenFromMembers: false,
  ...overrides,
});
const member: BehaviorAudience = { role: 'member', kinds: MEMBER_VISIBLE_KINDS, memberId: 'me' };
const staff: BehaviorAudience = { role: 'staff', kinds: BEHAVIOR_EVENT_KINDS };

describe('behaviour event visibility', () => {
  it('shows a member a like received as the other member’s id only', () => {
    expect(visibleTo(member, event({}))).toEqual({
      id: '7',
      kind: 'like',
      memberId: 'x',
      createdAt: '2026-12-03T10:00:00.000Z',
    });
  });

  it('shows a member their matches from either side', () => {
    expect(visibleTo(member, event({ kind: 'match', actorId: 'me', targetId: 'x' }))).toMatchObject({
      memberId: 'x',
    });
    expect(visibleTo(member, event({ kind: 'match' }))).toMatchObject({ memberId: 'x' });
  });

  it.each([
    ['a pass about them', event({ kind: 'pass' })],
    ['a block of them', event({ kind: 'block' })],
    ['a report about them', event({ kind: 'report' })],
    ['their own like', event({ actorId: 'me', targetId: 'x' })],
    ['another pair’s like', event({ targetId: 'y' })],
    ['another pair’s match', event({ kind: 'match', targetId: 'y' })],
    ['a like across a block', event({ hiddenFromMembers: true })],
    ['a kind they filtered out', event({ kind: 'superlike' }), { ...member, kinds: ['match'] }],
  ] as const)('hides %s from a member', (_name, hidden, audience: BehaviorAudience = member) => {
    expect(visibleTo(audience, hidden)).toBeNull();
  });

  it('shows staff every kind with both members and the slate, narrowed by their filters', () => {
    expect(visibleTo(staff, event({ kind: 'report', hiddenFromMembers: true }))).toMatchObject({
      kind: 'report',
      actorId: 'x',
      targetId: 'me',
      slateId: expect.any(String),
    });
    expect(visibleTo({ ...staff, memberId: 'y' }, event({}))).toBeNull();
    expect(visibleTo({ ...staff, memberId: 'x' }, event({}))).not.toBeNull();
    expect(visibleTo({ ...staff, kinds: ['match'] }, event({}))).toBeNull();
  });
});
