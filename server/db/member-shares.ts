// A member's privacy choices as the `members` table stores them (one `share_<group>` column per group)
// and as the code reads them (one flag per group). Written once so pair features and explanations read
// the same columns into the same record.
import type { PrivacyGroup } from '../../shared/schemas/privacy.js';

export interface MemberSharesRow {
  share_interests: boolean;
  share_behavioural: boolean;
  share_connectors: boolean;
  share_favorites: boolean;
}

/** Which feature groups the member allows discovery to use. */
export function memberShares(row: MemberSharesRow): Record<PrivacyGroup, boolean> {
  return {
    interests: row.share_interests,
    behavioural: row.share_behavioural,
    connectors: row.share_connectors,
    favorites: row.share_favorites,
  };
}
