// The shared viewer rule: who may act for which viewer, and how a refusal reads before an edge places it.
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/tokens.js';
import { DomainError } from '../errors/domain-errors.js';
import { requireViewerAccess } from './viewer-access.js';

const rule = { field: 'viewerId', action: 'see its own slate' };
const member: Principal = { subject: 'm-1', role: 'member' };

describe('requireViewerAccess', () => {
  it('gives a member its own viewer when none is named, or when it names itself', () => {
    expect(requireViewerAccess(member, undefined, rule)).toEqual({ viewerId: 'm-1', isStaff: false });
    expect(requireViewerAccess(member, 'm-1', rule)).toEqual({ viewerId: 'm-1', isStaff: false });
  });

  it('refuses a member naming another viewer with a forbidden error on the field', () => {
    let refused: unknown;
    try {
      requireViewerAccess(member, 'm-2', rule);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      kind: 'forbidden',
      field: 'viewerId',
      message: 'viewerId: role "member" may only see its own slate',
    });
    expect((refused as DomainError).messageWithField((field) => `querystring.${field}`)).toBe(
      'querystring.viewerId: role "member" may only see its own slate',
    );
  });

  it.each(['reviewer', 'ml_engineer', 'admin'] as const)('lets %s name any viewer', (role) => {
    const staff: Principal = { subject: 'ops-1', role };
    expect(requireViewerAccess(staff, 'm-2', rule)).toEqual({ viewerId: 'm-2', isStaff: true });
    expect(requireViewerAccess(staff, undefined, rule)).toEqual({ viewerId: 'ops-1', isStaff: true });
  });
});
