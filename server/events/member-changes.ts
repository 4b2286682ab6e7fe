// In-process notices that something a member's recommendations depend on changed, so modules that
// keep per-member state (the candidates memo) can drop it without the writers knowing about them.
// Per replica only: other replicas' memos expire on their own short TTL.
export type MemberChangeReason = 'profile' | 'taste_vector' | 'privacy' | 'swipe' | 'safety_score' | 'favorites';

export interface MemberChange {
  memberId: string;
  reason: MemberChangeReason;
}

export class MemberChanges {
  private readonly listeners = new Set<(change: MemberChange) => void>();

  subscribe(listener: (change: MemberChange) => void): void {
    this.listeners.add(listener);
  }

  /** Called after the change is committed. */
  publish(change: MemberChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
