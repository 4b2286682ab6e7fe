// JWT bearer tokens: HS256 with a shared secret for local use, or an issuer's JWKS for production
// identity providers (Supabase Auth and friends). Roles come from a configurable claim.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { isRole, type Role } from '../../shared/schemas/roles.js';
import type { AuthConfig } from '../config/config.js';

export interface Principal {
  /** The token subject: the member id for members, the operator's id for staff. */
  subject: string;
  role: Role;
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

export function createTokenVerifier(auth: AuthConfig): TokenVerifier {
  const verify = signatureVerifier(auth);
  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = (await verify(token)).payload;
    } catch (error) {
      throw new TokenRejected(describeJoseError(error));
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 128) {
      throw new TokenRejected('authorization: token has no usable "sub" claim (1-128 characters)');
    }
    const claimed = readClaim(payload, auth.roleClaim);
    // A token without the role claim is a plain member: identity providers issue those by default.
    const role = claimed === undefined ? 'member' : claimed;
    if (!isRole(role)) {
      throw new TokenRejected(
        `authorization: claim "${auth.roleClaim}" is ${JSON.stringify(role)}, not one of member, reviewer, ml_engineer, admin`,
        403,
      );
    }
    return { subject: payload.sub, role };
  };
}

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

/** Mints a local HS256 token (the `npm run token` command and the desktop console's sign-in). */
export async function mintLocalToken(
  auth: AuthConfig,
  claims: { subject: string; role: Role; expiresIn?: string },
): Promise<string> {
  if (auth.kind !== 'hs256') {
    throw new Error('tokens can only be minted locally with an HS256 secret; use your identity provider instead');
  }
  const roleClaim = nestClaim(auth.roleClaim, claims.role);
  let jwt = new SignJWT(roleClaim)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
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
