/**
 * Who is calling, from `Authorization: Bearer <token>`, and what they may do.
 *
 * A token is an API key from AUTH_API_KEYS (`name:role:key`, compared in constant time) or a JWT signed
 * with AUTH_JWT_SECRET (HS256) or AUTH_JWT_PUBLIC_KEY (RS256 or ES256), checked by `jose`, with its roles
 * in the `roles` claim. `editor` may call every mutation; `reader` may read. Reads are public unless
 * AUTH_REQUIRE_READ=true. Writes are never open: with no credentials configured, every mutation is
 * FORBIDDEN with a message that says how to configure an editor key.
 */
import { createHash, createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { forbidden, unauthenticated } from './errors';

export const ROLES = ['editor', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** A verified caller: the key's name or the JWT's `sub` (the change log's actor), and its roles. */
export interface Principal {
  name: string;
  roles: readonly Role[];
}

export interface ApiKey {
  name: string;
  role: Role;
  key: string;
}

export interface AuthSettings {
  apiKeys: readonly ApiKey[];
  jwtSecret: string | undefined;
  /** PEM of an RSA or EC public key. */
  jwtPublicKey: string | undefined;
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  requireRead: boolean;
}

export const NO_AUTH: AuthSettings = {
  apiKeys: [],
  jwtSecret: undefined,
  jwtPublicKey: undefined,
  jwtIssuer: undefined,
  jwtAudience: undefined,
  requireRead: false,
};

const HOW_TO_CONFIGURE =
  'No credentials are configured, so writes are closed. Set AUTH_API_KEYS="name:editor:<a random key of 32+ characters>" ' +
  '(or AUTH_JWT_SECRET / AUTH_JWT_PUBLIC_KEY) and send it as "Authorization: Bearer <key>".';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The JWT algorithm a public key verifies; the token's own header never chooses (no algorithm confusion). */
function publicKeyAlgorithm(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return 'ES256';
  throw new Error(`AUTH_JWT_PUBLIC_KEY must be an RSA or EC public key, not ${key.asymmetricKeyType ?? 'unknown'}`);
}

function rolesOf(payload: JWTPayload): Role[] {
  const claim = payload.roles;
  const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  return ROLES.filter((role) => names.includes(role));
}

export class Authenticator {
  private readonly keyDigests: { name: string; role: Role; digest: Buffer }[];
  private readonly secret: Uint8Array | undefined;
  private readonly publicKey: { key: KeyObject; algorithm: 'RS256' | 'ES256' } | undefined;

  constructor(private readonly settings: AuthSettings) {
    this.keyDigests = settings.apiKeys.map((k) => ({ name: k.name, role: k.role, digest: digest(k.key) }));
    this.secret = settings.jwtSecret === undefined ? undefined : new TextEncoder().encode(settings.jwtSecret);
    if (settings.jwtPublicKey !== undefined) {
      const key = createPublicKey(settings.jwtPublicKey);
      this.publicKey = { key, algorithm: publicKeyAlgorithm(key) };
    }
  }

  /** True when any credential is configured; with none, writes are closed. */
  get configured(): boolean {
    return this.keyDigests.length > 0 || this.secret !== undefined || this.publicKey !== undefined;
  }

  get requireRead(): boolean {
    return this.settings.requireRead;
  }

  /**
   * The caller of a request from its Authorization header: null when it sends none, and UNAUTHENTICATED
   * (HTTP 401) for a header that is not a valid credential.
   */
  async authenticate(authorization: string | undefined): Promise<Principal | null> {
    // With nothing configured no token can be valid, and none is needed to read: every write is then
    // FORBIDDEN with the message that says how to configure one (see `authorize`).
    if (authorization === undefined || authorization.trim() === '' || !this.configured) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const token = match[1]!;
    const key = this.apiKey(token);
    if (key) return key;
    if (token.split('.').length === 3 && (this.secret || this.publicKey)) return this.jwt(token);
    throw unauthenticated('The bearer token is not a valid credential.');
  }

  /** Every configured key is compared, in constant time, whichever matches: timing tells nothing. */
  private apiKey(token: string): Principal | null {
    const presented = digest(token);
    let found: Principal | null = null;
    for (const key of this.keyDigests) {
      if (timingSafeEqual(presented, key.digest) && found === null) found = { name: key.name, roles: [key.role] };
    }
    return found;
  }

  private async jwt(token: string): Promise<Principal> {
    const algorithms = [...(this.secret ? ['HS256'] : []), ...(this.publicKey ? [this.publicKey.algorithm] : [])];
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          if (header.alg === 'HS256' && this.secret) return this.secret;
          if (this.publicKey && header.alg === this.publicKey.algorithm) return this.publicKey.key;
          throw new joseErrors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
        },
        { algorithms, issuer: this.settings.jwtIssuer, audience: this.settings.jwtAudience },
      );
      if (typeof payload.sub !== 'string' || payload.sub === '')
        throw unauthenticated('The JWT has no "sub" claim, so its actor is unknown.');
      return { name: payload.sub, roles: rolesOf(payload) };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The JWT has expired.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw unauthenticated(`The JWT was refused: ${error.message}.`);
      if (error instanceof joseErrors.JOSEError)
        throw unauthenticated('The JWT is not valid: its signature, algorithm or form was refused.');
      throw error;
    }
  }

  /** Refuses a caller that may not do `operation`: UNAUTHENTICATED without a credential, FORBIDDEN without the role. */
  authorize(principal: Principal | null, operation: 'query' | 'mutation' | 'subscription'): void {
    if (operation === 'mutation') {
      if (!this.configured) throw forbidden(HOW_TO_CONFIGURE);
      if (!principal) throw unauthenticated('Writes need a credential with the editor role: send "Authorization: Bearer <token>".');
      if (!principal.roles.includes('editor')) throw forbidden(`"${principal.name}" may not write: writes need the editor role.`);
      return;
    }
    if (!this.settings.requireRead) return;
    if (!principal) throw unauthenticated('Reads need a credential here (AUTH_REQUIRE_READ=true): send "Authorization: Bearer <token>".');
    if (principal.roles.length === 0) throw forbidden(`"${principal.name}" has neither the reader nor the editor role.`);
  }
}

/** What the authorization plugin needs of a request's context. */
export interface AuthenticatedRequest extends BaseContext {
  principal: Principal | null;
}

/** Checks every operation against its caller once the operation is known, before anything resolves. */
export function authorizationPlugin<C extends AuthenticatedRequest>(authenticator: Authenticator): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          // The hook runs once the operation is known; were it not, the strictest rule applies.
          authenticator.authorize(contextValue.principal, operation?.operation ?? 'mutation');
        },
      };
    },
  };
}
