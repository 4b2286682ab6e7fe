// JWT bearer tokens: HS256 with a shared secret for local use, or an issuer's JWKS for production
// identity providers (Supabase Auth and friends). Roles come from a configurable claim. Beyond the
// signature, every token must expire within its role's lifetime cap, name a plain subject, and not be
// revoked (looked up in the database on every request, so every replica agrees at once).
import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { isRole, type Role } from '../../shared/schemas/roles.js';
import { DEFAULT_TOKEN_MAX_LIFETIME, durationSeconds, type AuthConfig } from '../config/config.js';

export interface Principal {
  /** The token subject: the member id for members, the operator's id for staff. */
  subject: string;
  role: Role;
  /** The token's id (`jti`), when it has one: what revoking a single token names. */
  tokenId?: string;
  /**
   * A member-preview token: the staff member acting as the member (RFC 8693 `act.sub`), and whether an
   * admin allowed writes. Read-only previews are refused anything but GET and HEAD (auth.plugin.ts).
   */
  preview?: { reviewerId: string; write: boolean };
}

/** Why a token was refused; the message goes to the client as is, so it says what to fix. */
export class TokenRejected extends Error {
  override name = 'TokenRejected';
  constructor(
    message: string,
    readonly statusCode: 401 | 403 = 401,
  ) {
    super(message);
  }
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** What the database knows about a token's revocation (server/auth/token-revocations.repository.ts). */
export interface RevocationLookup {
  lookup(subject: string, tokenId: string | undefined): Promise<{ tokenRevoked: boolean; revokedBefore: Date | null }>;
}

export interface TokenPolicy {
  /** Longest lifetime a token may have, per role (exp − iat, or exp − now without iat). */
  maxLifetimeSeconds: Record<Role, number>;
  /** The revocation store; null only where nothing can be revoked (verifier-only tests). */
  revocations: RevocationLookup | null;
}

/** Issuers' and our clocks differ a little; a minute either way is not worth refusing a token for. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Control, format (bidi marks, overrides, isolates, zero-width, BOM), surrogate and line/paragraph
 * separator characters: a subject holding one can print as someone else's id in logs and the console.
 */
const UNSAFE_SUBJECT_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** The configured caps' defaults, for verifiers built without a config (tests of signatures only). */
const DEFAULT_POLICY: TokenPolicy = {
  maxLifetimeSeconds: Object.fromEntries(
    Object.entries(DEFAULT_TOKEN_MAX_LIFETIME).map(([role, text]) => [role, durationSeconds(text)!]),
  ) as Record<Role, number>,
  revocations: null,
};

export function createTokenVerifier(auth: AuthConfig, policy: TokenPolicy = DEFAULT_POLICY): TokenVerifier {
  const verify = signatureVerifier(auth);
  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = (await verify(token)).payload;
    } catch (error) {
      throw new TokenRejected(describeJoseError(error));
    }
    const subject = checkSubject(payload.sub, 'sub');
    const claimed = readClaim(payload, auth.roleClaim);
    // A token without the role claim is a plain member: identity providers issue those by default.
    const role = claimed === undefined ? 'member' : claimed;
    if (!isRole(role)) {
      throw new TokenRejected(
        `authorization: claim "${auth.roleClaim}" is ${JSON.stringify(role)}, not one of member, reviewer, ml_engineer, admin`,
        403,
      );
    }
    checkLifetime(payload, role, policy.maxLifetimeSeconds[role]);
    const tokenId = typeof payload.jti === 'string' && payload.jti.length > 0 ? payload.jti : undefined;
    if (policy.revocations) {
      const { tokenRevoked, revokedBefore } = await policy.revocations.lookup(subject, tokenId);
      if (tokenRevoked) throw new TokenRejected('authorization: token has been revoked; sign in again');
      // To the second (iat has no finer grain): a token issued in the same second as the cut-off stays good.
      if (revokedBefore && (payload.iat === undefined || payload.iat < Math.floor(revokedBefore.getTime() / 1000))) {
        throw new TokenRejected(
          `authorization: tokens issued to ${JSON.stringify(subject)} before ${revokedBefore.toISOString()} are revoked; sign in again`,
        );
      }
    }
    const principal: Principal = { subject, role };
    if (tokenId) principal.tokenId = tokenId;
    if (payload.act !== undefined) principal.preview = previewOf(payload);
    return principal;
  };
}

function checkSubject(value: unknown, claim: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
    throw new TokenRejected(`authorization: token has no usable "${claim}" claim (1-128 characters)`);
  }
  if (UNSAFE_SUBJECT_CHARACTERS.test(value)) {
    throw new TokenRejected(
      `authorization: claim "${claim}" holds control or bidirectional-format characters, which SDE does not accept`,
    );
  }
  return value;
}

/** A token must expire, and within its role's cap: a leaked long-lived admin token is a standing key. */
function checkLifetime(payload: JWTPayload, role: Role, maxSeconds: number): void {
  if (payload.exp === undefined) {
    throw new TokenRejected('authorization: token has no "exp" claim; tokens must expire');
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.iat !== undefined && payload.iat > now + CLOCK_SKEW_SECONDS) {
    throw new TokenRejected('authorization: claim "iat" is in the future');
  }
  const lifetime = payload.exp - Math.min(payload.iat ?? now, now);
  if (lifetime > maxSeconds + CLOCK_SKEW_SECONDS) {
    throw new TokenRejected(
      `authorization: token lifetime of ${lifetime}s is longer than the ${maxSeconds}s a ${role} token may live (exp − iat)`,
    );
  }
}

/** RFC 8693 `act`: who acts as the subject. Only preview tokens carry one here; writable only when minted so. */
function previewOf(payload: JWTPayload): Principal['preview'] {
  const act = payload.act;
  const reviewerId = checkSubject(
    typeof act === 'object' && act !== null ? (act as Record<string, unknown>).sub : undefined,
    'act.sub',
  );
  return { reviewerId, write: payload[PREVIEW_WRITE_CLAIM] === true };
}

/** Set (true) only on previews an admin minted writable; its absence means read-only. */
const PREVIEW_WRITE_CLAIM = 'sde_preview_write';

/** Checks signature, expiry, issuer and audience: with the shared secret, or the issuer's key set. */
function signatureVerifier(auth: AuthConfig): (token: string) => Promise<{ payload: JWTPayload }> {
  const claims = { issuer: auth.issuer, audience: auth.audience };
  if (auth.kind === 'hs256') {
    const secret = new TextEncoder().encode(auth.secret);
    return (token) => jwtVerify(token, secret, { ...claims, algorithms: ['HS256'] });
  }
  // Fetched on first use, cached, and refetched when a token names a key id it has not seen.
  const keySet = createRemoteJWKSet(new URL(auth.jwksUrl));
  return (token) => jwtVerify(token, keySet, { ...claims, algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'] });
}

function readClaim(payload: JWTPayload, claimPath: string): unknown {
  let value: unknown = payload;
  for (const part of claimPath.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'authorization: token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `authorization: claim "${error.claim}" is invalid (${error.reason})`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'authorization: token signature is invalid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'authorization: token algorithm is not accepted';
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return 'authorization: no key in the issuer key set matches the token';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return 'authorization: token is malformed';
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JOSEError) {
    return 'authorization: token could not be verified';
  }
  return 'authorization: token is malformed';
}

/**
 * Mints a local HS256 token (the `npm run token` command, `npm start`, the desktop console's sign-in and
 * member previews), with a fresh `jti` so it can be revoked on its own. `actor` makes it a preview token.
 */
export async function mintLocalToken(
  auth: AuthConfig,
  claims: {
    subject: string;
    role: Role;
    expiresIn?: string;
    actor?: { subject: string; write: boolean };
  },
): Promise<string> {
  if (auth.kind !== 'hs256') {
    throw new Error('tokens can only be minted locally with an HS256 secret; use your identity provider instead');
  }
  const payload: JWTPayload = nestClaim(auth.roleClaim, claims.role);
  if (claims.actor) {
    payload.act = { sub: claims.actor.subject };
    if (claims.actor.write) payload[PREVIEW_WRITE_CLAIM] = true;
  }
  let jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '12h');
  if (auth.issuer) jwt = jwt.setIssuer(auth.issuer);
  if (auth.audience) jwt = jwt.setAudience(auth.audience);
  return jwt.sign(new TextEncoder().encode(auth.secret));
}

function nestClaim(claimPath: string, value: string): JWTPayload {
  const parts = claimPath.split('.');
  const root: Record<string, unknown> = {};
  let cursor = root;
  parts.forEach((part, index) => {
    if (index === parts.length - 1) cursor[part] = value;
    else cursor = cursor[part] = {};
  });
  return root;
}
