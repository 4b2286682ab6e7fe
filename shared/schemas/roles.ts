// Who may call what. Roles come from a claim in the caller's JWT.
export const ROLES = ['member', 'reviewer', 'ml_engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A route's audience: anyone (no token) or the listed roles. */
export type Access = 'public' | readonly Role[];

export const ANY_ROLE: readonly Role[] = ROLES;
export const STAFF: readonly Role[] = ['reviewer', 'ml_engineer', 'admin'];
export const OPERATORS: readonly Role[] = ['ml_engineer', 'admin'];
export const ADMIN_ONLY: readonly Role[] = ['admin'];
