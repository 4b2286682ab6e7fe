// Member preview: a reviewer or admin gets a short-lived member token for a chosen member, so the
// console can show what that member sees through the real member API. The token names the staff member
// (`act.sub`, RFC 8693), is read-only unless an admin asks for a writable one, and its minting and every
// request made with it are audited as the staff member's. Only a server that signs its own tokens can do
// this; with an identity provider (JWKS) the tokens come from there.
import { decodeJwt } from 'jose';
import type { AuthConfig } from '../config/config.js';
import { mintLocalToken, type Principal } from '../auth/tokens.js';
import type { PreviewAuditRepository } from '../auth/preview-audit.repository.js';
import { DomainError, forbidden, notFound } from '../errors/domain-errors.js';
import type { PreviewToken, PreviewTokenInput } from '../../shared/schemas/console.js';
import type { PreviewTokensRepository } from './preview-tokens.repository.js';

/** Long enough for a review session, short enough that a leaked preview token soon stops working. */
export const PREVIEW_TOKEN_SECONDS = 900;

export class PreviewTokensService {
  constructor(
    private readonly auth: AuthConfig,
    private readonly repository: PreviewTokensRepository,
    private readonly audit: PreviewAuditRepository,
  ) {}

  get canMint(): boolean {
    return this.auth.kind === 'hs256';
  }

  async mint(caller: Principal, input: PreviewTokenInput): Promise<PreviewToken> {
    const { memberId } = input;
    const write = input.write === true;
    // Writing as a member changes their data in their name: an admin decision, never a reviewer's.
    if (write && caller.role !== 'admin') {
      throw forbidden('write', `only admins may mint a writable preview token (you are ${caller.role})`);
    }
    if (!this.canMint) {
      throw new DomainError('conflict', 'preview needs locally signed tokens (SDE_JWT_SECRET)', { topic: 'auth' });
    }
    if (!(await this.repository.memberHasAttributes(memberId))) {
      throw notFound('memberId', `member "${memberId}" does not exist, is deleted, or has no saved attributes`);
    }
    const token = await mintLocalToken(this.auth, {
      subject: memberId,
      role: 'member',
      expiresIn: `${PREVIEW_TOKEN_SECONDS}s`,
      actor: { subject: caller.subject, write },
    });
    const { jti } = decodeJwt(token);
    await this.audit.recordMint({
      reviewerId: caller.subject,
      memberId,
      tokenId: typeof jti === 'string' ? jti : null,
      writable: write,
    });
    return { token, subject: memberId, role: 'member', expiresInSeconds: PREVIEW_TOKEN_SECONDS, write };
  }
}
