// A transaction that acts as a member rather than as the engine's owning role: the same role and claims a
// member's own connection through PostgREST would have, so the row-level policies (migration 001's on
// scroll_events) decide what its statements may touch. Both drivers build `asMember` from this.
import type { Queryable } from './database.js';

/** The role member sessions take; migration 017 makes the engine's login role a member of it. */
export const MEMBER_ROLE = 'sde_member';

type Transaction = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>;

/**
 * `work` inside `transaction`, after the claims `sde_current_member()` reads and `SET LOCAL ROLE`: both
 * end with the transaction, so the pooled connection (or PGlite's one session) is the engine's again after.
 */
export function asMemberIn<T>(
  transaction: Transaction,
  memberId: string,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return transaction(async (tx) => {
    await tx.query(`SELECT set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ sub: memberId, role: 'authenticated' }),
    ]);
    await tx.query(`SET LOCAL ROLE ${MEMBER_ROLE}`);
    return work(tx);
  });
}
