// Erasure: a member's own request (DELETE /api/v2/users/me) or an admin's. Everything the engine holds
// about the member goes in one transaction — their rows, rows that name them, queued jobs about them,
// their raw connector pages in object storage — and the receipt says what went and what was kept
// (anonymised) and why. After the commit, every replica drops cached state about them. docs/erasure.md.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { ErasureReceipt, RetainedRecord } from '../../shared/schemas/erasure.js';
import type { Database } from '../db/database.js';
import type { MemberChanges } from '../events/member-changes.js';
import type { DomainError } from '../errors/domain-errors.js';
import { keySegmentFor, type ObjectStorage } from '../storage/object-storage.js';
import type { ErasureRepository, RemovedCounts } from './erasure.repository.js';

/**
 * The member's folders in object storage, each `favorites_raw/{folder}/{member}/`: raw connector pages
 * (spotify) and large data exports waiting for download (member_exports, server/export/export-storage.ts).
 */
const MEMBER_STORAGE_FOLDERS = ['spotify', 'member_exports'] as const;

export interface ErasureRequest {
  memberId: string;
  /** The member themself, or the admin who filed the request. */
  requestedBy: { kind: 'member' } | { kind: 'admin'; adminId: string };
  reason?: string;
}

export class ErasureService {
  constructor(
    private readonly db: Database,
    private readonly repository: ErasureRepository,
    private readonly storage: ObjectStorage,
    private readonly memberChanges: MemberChanges,
    /** Keys the receipt log's member hash (derived from SDE_SECRETS_KEY). */
    private readonly receiptKey: Buffer,
  ) {}

  /** Erases the member or throws `notFound` (about the body's memberId, or the caller's member record). */
  async erase(request: ErasureRequest, notFound: DomainError): Promise<ErasureReceipt> {
    const { memberId } = request;
    // Random, so nothing links the anonymised review records back to the member or to the receipt.
    const pseudonym = `erased:${randomBytes(9).toString('base64url')}`;
    const keySegment = keySegmentFor(memberId);

    const receipt = await this.db.transaction(async (tx) => {
      if (!(await this.repository.lockMember(tx, memberId))) throw notFound;

      const reviewFlags = await this.repository.keepAnonymisedReviewFlags(tx, memberId, pseudonym);
      const authored = await this.repository.pseudonymiseAuthorship(tx, memberId, pseudonym);
      const costEntries = await this.repository.stripCostLedger(tx, memberId);
      const removed: RemovedCounts = {};
      merge(removed, await this.repository.deleteUnreferencedRows(tx, memberId, keySegment));
      merge(removed, await this.repository.deleteReferencingRows(tx, memberId));
      await this.repository.refreshDwellAverages(tx);

      // Last inside the transaction: if storage fails, the database rolls back and the request can be
      // repeated (after a commit the member would be gone and a retry would answer 404).
      let objects = 0;
      for (const folder of MEMBER_STORAGE_FOLDERS) {
        objects += await this.storage.deletePrefix(`favorites_raw/${folder}/${keySegment}/`);
      }

      const retained: RetainedRecord[] = [];
      if (reviewFlags > 0) retained.push({ what: 'review flags', how: 'anonymised', count: reviewFlags });
      if (authored > 0) {
        retained.push({ what: 'reports and staff actions they authored', how: 'anonymised', count: authored });
      }
      if (costEntries > 0) retained.push({ what: 'cost ledger entries', how: 'member id removed', count: costEntries });

      const id = randomUUID();
      const erasedAt = await this.repository.recordReceipt(tx, {
        id,
        subjectHash: this.subjectHash(memberId),
        requestedBy: request.requestedBy.kind,
        adminId: request.requestedBy.kind === 'admin' ? request.requestedBy.adminId : null,
        reason: request.reason ? request.reason.split(memberId).join(pseudonym) : null,
        removed,
        storageObjects: objects,
        retained,
      });
      // Every replica's caches that hold the member (candidates memo, explanations) drop them; other
      // replicas hear it only if this commits.
      await this.memberChanges.publish({ memberId, reason: 'profile' }, tx);
      return { receiptId: id, memberId, erasedAt: erasedAt.toISOString(), removed, storage: { objects }, retained };
    });
    return receipt;
  }

  /** What the receipt log stores instead of the member id; an operator recomputes it to answer "was X erased?". */
  subjectHash(memberId: string): string {
    return createHmac('sha256', this.receiptKey).update(memberId, 'utf8').digest('hex');
  }
}

function merge(into: RemovedCounts, from: RemovedCounts): void {
  for (const [table, count] of Object.entries(from)) into[table] = (into[table] ?? 0) + count;
}

/** The receipt-hash key, kept apart from other uses of the secrets key. */
export function deriveReceiptKey(secretsKey: Buffer): Buffer {
  return createHmac('sha256', secretsKey).update('sde erasure receipts v1').digest();
}
