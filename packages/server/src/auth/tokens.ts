import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * The login session's two tokens, HS256 JWTs signed with PHOENIX_SECRET: `sub` the user's row id,
 * `sid` the auth_sessions row they belong to (deleted at logout, so both stop working), `typ` which
 * of the two it is (a refresh token is never accepted as an access token, nor the reverse).
 */
export type TokenType = 'access' | 'refresh';

export interface SessionClaims {
  userId: number;
  sessionId: string;
}

const ISSUER = 'fawkes';

export class SessionTokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(type: TokenType, claims: SessionClaims, expiresAtSeconds: number): Promise<string> {
    return new SignJWT({ sid: claims.sessionId, typ: type })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(claims.userId))
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(expiresAtSeconds)
      .sign(this.key);
  }

  /** The claims of a valid, unexpired token of `type`, else null. */
  async verify(
    type: TokenType,
    token: string,
  ): Promise<(SessionClaims & { expiresAtSeconds: number }) | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER });
      const userId = Number(payload.sub);
      if (payload.typ !== type || typeof payload.sid !== 'string' || !Number.isSafeInteger(userId))
        return null;
      return { userId, sessionId: payload.sid, expiresAtSeconds: payload.exp ?? 0 };
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }
}
