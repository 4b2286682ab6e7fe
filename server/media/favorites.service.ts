// Members' favorites: checks (one input form, a known work, a saved member, the per-member ceiling),
// then the write, the re-embed job and the `favorites` member change in one transaction, so an
// acknowledged change always has its re-embed queued and every replica drops what it cached about it.
import {
  MEDIA_LIMITS,
  type Favorite,
  type FavoriteAdded,
  type FavoriteInput,
  type FavoriteSource,
} from '../../shared/schemas/media.js';
import type { Database } from '../db/database.js';
import { DomainError, invalid, malformed, notFound } from '../errors/domain-errors.js';
import type { MemberChanges } from '../events/member-changes.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { requestReembed } from '../taste/reembed.queue.js';
import { canonicalise } from './canonicalise.js';
import { type FavoritesRepository } from './favorites.repository.js';
import { type MediaRepository } from './media.repository.js';

export class FavoritesService {
  constructor(
    private readonly db: Database,
    private readonly favorites: FavoritesRepository,
    private readonly media: MediaRepository,
    private readonly jobs: JobQueue,
    private readonly memberChanges: MemberChanges,
  ) {}

  list(memberId: string): Promise<Favorite[]> {
    return this.favorites.list(memberId);
  }

  /** Adds by id or by canonicalised title; `added` is false when it already was a favorite. */
  async add(
    memberId: string,
    input: FavoriteInput,
    source: FavoriteSource = 'manual',
  ): Promise<{ favorite: FavoriteAdded; added: boolean }> {
    const resolved = await this.resolve(input);
    return this.db.transaction(async (tx) => {
      if (!(await this.favorites.lockMember(memberId, tx))) {
        throw new DomainError(
          'conflict',
          'no saved attributes for this member yet; PUT /api/v2/users/me/attributes first',
          { topic: 'member' },
        );
      }
      const existing = await this.favorites.find(memberId, resolved.mediaId, tx);
      if (existing) return { favorite: { ...existing, ...resolved.how }, added: false };
      if ((await this.favorites.count(memberId, tx)) >= MEDIA_LIMITS.maxFavoritesPerMember) {
        throw new DomainError(
          'conflict',
          `a member keeps at most ${MEDIA_LIMITS.maxFavoritesPerMember}; remove one before adding another`,
          { topic: 'favorites' },
        );
      }
      await this.favorites.add(memberId, resolved.mediaId, source, tx);
      await requestReembed(this.jobs, memberId, 'favorites_changed', tx);
      await this.memberChanges.publish({ memberId, reason: 'favorites' }, tx);
      const favorite = await this.favorites.find(memberId, resolved.mediaId, tx);
      if (!favorite) throw new Error(`favorite ${memberId}/${resolved.mediaId} vanished inside its transaction`);
      return { favorite: { ...favorite, ...resolved.how }, added: true };
    });
  }

  async remove(memberId: string, mediaId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.favorites.remove(memberId, mediaId, tx))) {
        throw notFound('mediaId', `"${mediaId}" is not among your favorites`);
      }
      await requestReembed(this.jobs, memberId, 'favorites_changed', tx);
      await this.memberChanges.publish({ memberId, reason: 'favorites' }, tx);
    });
  }

  private async resolve(
    input: FavoriteInput,
  ): Promise<{ mediaId: string; how: { resolvedFrom: string | null; confidence: number } }> {
    const hasId = input.mediaId !== undefined;
    const hasTitle = input.title !== undefined;
    if (hasId === hasTitle) {
      throw malformed('', 'give either mediaId or title (with an optional kind), not both and not neither');
    }
    if (input.mediaId !== undefined) {
      if (input.kind !== undefined) throw malformed('kind', 'goes with title only; an id already names its kind');
      if (!(await this.media.findById(input.mediaId))) {
        throw invalid('mediaId', `"${input.mediaId}" is not in the catalogue`);
      }
      return { mediaId: input.mediaId, how: { resolvedFrom: null, confidence: 1 } };
    }
    const title = (input.title ?? '').trim();
    const match = await canonicalise(this.db, title, input.kind ? { kind: input.kind } : {});
    if (!match) {
      throw invalid(
        'title',
        `no catalogue match for "${title}"${input.kind ? ` among ${input.kind} works` : ''}; try the search`,
      );
    }
    return { mediaId: match.id, how: { resolvedFrom: title, confidence: match.confidence } };
  }
}
