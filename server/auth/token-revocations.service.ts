// Revoking tokens: one by its id, or every token a subject was issued before a time. The verifier
// (tokens.ts) reads the same rows on every request, so a revocation holds on every replica at once.
import type { OwnTokensRevoked, TokenRevocation, TokenRevocationInput } from '../../shared/schemas/tokens.js';
import { malformed } from '../errors/domain-errors.js';
import type { Principal } from './tokens.js';
import type { TokenRevocationsRepository } from './token-revocations.repository.js';

export class TokenRevocationsService {
  constructor(
    private readonly repository: TokenRevocationsRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** An admin's revocation of someone's token(s). */
  async revoke(caller: Principal, input: TokenRevocationInput): Promise<TokenRevocation> {
    if ((input.jti === undefined) === (input.subject === undefined)) {
      throw malformed('', 'give either jti (one token) or subject (all their tokens), not both');
    }
    if (input.jti !== undefined) {
      if (input.issuedBefore !== undefined) {
        throw malformed('issuedBefore', 'only with subject; a jti names one token already');
      }
      await this.repository.revokeToken(input.jti, caller.subject);
      return { revoked: 'token', jti: input.jti };
    }
    const now = this.clock();
    const issuedBefore = input.issuedBefore === undefined ? now : new Date(input.issuedBefore);
    // A future cut-off would lock the subject out until then, which is a ban, not a revocation.
    if (issuedBefore.getTime() > now.getTime()) {
      throw malformed('issuedBefore', 'must not be in the future');
    }
    await this.repository.revokeIssuedBefore(input.subject!, issuedBefore, caller.subject);
    return { revoked: 'subject', subject: input.subject!, issuedBefore: issuedBefore.toISOString() };
  }

  /**
   * "Log out everywhere": the caller's tokens issued before now stop working. The cut-off is to the
   * second (iat's grain), so the token that asked is revoked by its id as well.
   */
  async revokeOwn(caller: Principal): Promise<OwnTokensRevoked> {
    const now = this.clock();
    await this.repository.revokeIssuedBefore(caller.subject, now, caller.subject);
    if (caller.tokenId) await this.repository.revokeToken(caller.tokenId, caller.subject);
    return { subject: caller.subject, issuedBefore: now.toISOString() };
  }
}
