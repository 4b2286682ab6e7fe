// Builds taste vectors with the current model: for a stored member (the re-embed worker), for an
// ad-hoc profile (POST /api/v2/embed), and refits the collaborative item factors. Checks, then acts;
// SQL lives in the repository, the maths in taste-model.ts.
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { EmbeddingProvider } from '../embeddings/embedding-provider.js';
import type { Attribution, EmbeddingsService } from '../embeddings/embeddings.service.js';
import { mediaText } from '../embeddings/media-text.js';
import { invalid, malformed } from '../errors/domain-errors.js';
import {
  embedBodyCharacters,
  TASTE_LIMITS,
  type EmbedProfileBody,
  type EmbedProfileResult,
} from '../../shared/schemas/taste.js';
import {
  composeTasteVector,
  FACTOR_RANK,
  fitItemFactors,
  tasteModelVersion,
  type ComposedTaste,
  type FavoriteFeatures,
  type ItemFactor,
} from './taste-model.js';
import { type TasteRepository, type FavoriteMedia } from './taste.repository.js';

/** Call sites for the `embedding_provider` flag and the cost ledger. */
export const TASTE_CALL_SITES = { memberReembed: 'taste_member_reembed', embedRoute: 'taste_embed' } as const;

export interface MemberRebuild {
  /** built: vector stored; removed: nothing left to build from, any old vector deleted; unknown: no such live member. */
  outcome: 'built' | 'removed' | 'unknown';
  modelVersion: string | null;
}

interface TasteRequest {
  texts: string[];
  communities: string[];
  favorites: FavoriteMedia[];
}

export class TasteService {
  constructor(
    private readonly db: Database,
    private readonly repository: TasteRepository,
    private readonly embeddings: EmbeddingsService,
  ) {}

  /** Rebuilds one member's vector from the groups they share, with the current model, and stores it. */
  async rebuildMember(memberId: string, jobId?: string): Promise<MemberRebuild> {
    const member = await this.repository.memberFeatures(memberId);
    if (!member) {
      await this.repository.deleteVector(memberId);
      return { outcome: 'unknown', modelVersion: null };
    }
    // Favorites off (docs/privacy.md): the member has no taste vector at all until they turn it back on,
    // so a re-embed queued before or by the opt-out must not recreate one from the other groups.
    if (!member.shareFavorites) {
      await this.repository.deleteVector(memberId);
      return { outcome: 'removed', modelVersion: null };
    }
    // Opted-out groups are never read, so they cannot leak into the vector.
    const favorites = await this.repository.favoritesOf(memberId, member.shareConnectors);
    const request: TasteRequest = {
      texts: member.shareInterests ? member.hobbies : [],
      communities: member.shareInterests ? member.communities : [],
      favorites,
    };
    const provider = await this.embeddings.provider(TASTE_CALL_SITES.memberReembed, { memberId, jobId });
    const { composed, modelVersion } = await this.compose(request, provider);
    if (!composed) {
      await this.repository.deleteVector(memberId);
      return { outcome: 'removed', modelVersion: null };
    }
    await this.repository.upsertVector(
      memberId,
      composed.vector,
      { contributions: composed.contributions, shared: sharedGroups(member) },
      modelVersion,
    );
    return { outcome: 'built', modelVersion };
  }

  /** The taste vector of a profile given in the request; nothing is stored. */
  async embedProfile(body: EmbedProfileBody, attribution: Attribution): Promise<EmbedProfileResult> {
    // The schema bounds each list and string; the total bounds the request (one string is one embedding).
    const characters = embedBodyCharacters(body);
    if (characters > TASTE_LIMITS.totalCharacters) {
      throw malformed(
        '',
        `${characters} characters in total across interests, hobbies, communities and favorites; at most ${TASTE_LIMITS.totalCharacters}`,
      );
    }
    const texts = [...(body.interests ?? []), ...(body.hobbies ?? [])];
    const communities = body.communities ?? [];
    const references = [...new Set(body.favorites ?? [])];
    if (texts.length === 0 && communities.length === 0 && references.length === 0) {
      throw invalid('', 'nothing to embed; give at least one of interests, hobbies, communities, favorites');
    }
    const resolved = await this.repository.resolveMedia(references);
    const unresolvedFavorites = references.filter((reference) => !resolved.has(reference));
    const provider = await this.embeddings.provider(TASTE_CALL_SITES.embedRoute, attribution);
    const { composed, modelVersion } = await this.compose(
      { texts, communities, favorites: [...resolved.values()] },
      provider,
    );
    if (!composed) {
      const problems: string[] = [];
      if (texts.length > 0) problems.push('interests and hobbies contain no word the text model knows');
      if (unresolvedFavorites.length > 0) {
        problems.push(`favorites name no known media item (${unresolvedFavorites.slice(0, 5).join(', ')})`);
      }
      throw invalid('', `nothing to embed; ${problems.join('; ')}`);
    }
    return { vector: Array.from(composed.vector), model: modelVersion, unresolvedFavorites };
  }

  /** Fits item factors from every shareable favorite and makes them the current model. */
  async refitItemFactors(): Promise<{ modelId: string; items: number; members: number }> {
    const fit = fitItemFactors(await this.repository.shareableFavorites(), { rank: FACTOR_RANK });
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const modelId = `fit-${stamp}-${randomBytes(3).toString('hex')}`;
    await this.db.transaction((tx) => this.repository.saveModel(modelId, fit, tx));
    return { modelId, items: fit.items.size, members: fit.members };
  }

  /**
   * Gathers each group's features and composes the vector. Favorites use the current model's factor
   * when it has one; otherwise their stored content embedding when it comes from the active text
   * model, else their text is embedded now (in the same provider call as the interests).
   */
  private async compose(
    request: TasteRequest,
    provider: EmbeddingProvider,
  ): Promise<{ composed: ComposedTaste | null; modelVersion: string }> {
    const model = await this.repository.currentModel();
    const factors: Map<string, ItemFactor> = model
      ? await this.repository.factorsFor(
          model.id,
          request.favorites.map((favorite) => favorite.mediaId),
        )
      : new Map<string, ItemFactor>();
    const needingText = request.favorites.filter(
      (favorite) =>
        !factors.has(favorite.mediaId) &&
        !(favorite.embeddingModel === provider.id && favorite.embedding?.length === provider.dimensions),
    );
    const texts = [...request.texts, ...needingText.map((favorite) => mediaText(favorite))];
    const { vectors } = await provider.embed(texts);
    const embeddedContent = new Map(
      needingText.map((favorite, i) => [favorite.mediaId, vectors[request.texts.length + i]!]),
    );
    const favorites: FavoriteFeatures[] = request.favorites.map((favorite) => {
      const factor = factors.get(favorite.mediaId);
      if (factor) return { factor };
      return { content: embeddedContent.get(favorite.mediaId) ?? favorite.embedding ?? undefined };
    });
    const composed = composeTasteVector(
      { favorites, interests: vectors.slice(0, request.texts.length), communities: request.communities },
      { factorRank: FACTOR_RANK, contentDimensions: provider.dimensions },
    );
    return { composed, modelVersion: tasteModelVersion(model?.id ?? null, provider.id) };
  }
}

function sharedGroups(member: { shareInterests: boolean; shareFavorites: boolean; shareConnectors: boolean }) {
  return { interests: member.shareInterests, favorites: member.shareFavorites, connectors: member.shareConnectors };
}
