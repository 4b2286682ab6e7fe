// Member preview: a reviewer or admin gets a short-lived member token for a chosen member, so the
// console can show what that member sees through the real member API. Only a server that signs its
// own tokens can do this; with an identity provider (JWKS) the tokens come from there.
import type { FastifyBaseLogger } from 'fastify';
import type { AuthConfig } from '../config/config.js';
import { mintLocalToken, type Principal } from '../auth/tokens.js';
import { HttpError } from '../http/errors.js';
import type { PreviewToken } from '../../shared/schemas/console.js';
import type { PreviewTokensRepository } from './preview-tokens.repository.js';

/** Long enough for a review session, short enough that a leaked preview token soon stops working. */
export const PREVIEW_TOKEN_SECONDS = 900;

export class PreviewTokensService {
  constructor(
    private readonly auth: AuthConfig,
    private readonly repository: PreviewTokensRepository,
    private readonly log: FastifyBaseLogger,
  ) {}

  get canMint(): boolean {
    return this.auth.kind === 'hs256';
  }

  async mint(caller: Principal, memberId: string): Promise<PreviewToken> {
    if (!this.canMint) {
      throw new HttpError(409, 'auth: preview needs locally signed tokens (SDE_JWT_SECRET)');
    }
    if (!(await this.repository.memberHasAttributes(memberId))) {
      throw new HttpError(
        404,
        `body.memberId: member "${memberId}" does not exist, is deleted, or has no saved attributes`,
      );
    }
    const token = await mintLocalToken(this.auth, {
      subject: memberId,
      role: 'member',
      expiresIn: `${PREVIEW_TOKEN_SECONDS}s`,
    });
    // Acting as a member is worth an audit line: who looked through whose eyes.
    this.log.info({ previewBy: caller.subject, previewByRole: caller.role, memberId }, 'member preview token minted');
    return { token, subject: memberId, role: 'member', expiresInSeconds: PREVIEW_TOKEN_SECONDS };
  }
}
