/**
 * The Graph credential, chosen from the standard @azure/identity variables:
 *   AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET            → client secret
 *   AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_CERTIFICATE_PATH  → client certificate
 *     (AZURE_CLIENT_CERTIFICATE_PASSWORD optional; a secret wins when both are set, as in EnvironmentCredential)
 *   AZURE_CLIENT_ID alone                                              → user-assigned managed identity
 *   AZURE_USE_MANAGED_IDENTITY=true (+ optional AZURE_CLIENT_ID)       → system-/user-assigned managed identity
 *   nothing                                                            → no credential (local sandbox only)
 * The library caches and refreshes tokens itself, so there is no cache here.
 */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
  type TokenCredentialOptions,
} from '@azure/identity';
import { DEFAULT_GRAPH_BASE_URL, describeGraphCredential, type GraphEnv } from '../../config/graphCredentialChoice';
import { currentSignal, sharedWithin } from '../system/deadlines';

// Which credential the environment selects is configuration (checked at start-up); this builds it.
export {
  DEFAULT_GRAPH_BASE_URL,
  describeGraphCredential,
  type GraphCredentialDescription,
  type GraphCredentialKind,
  type GraphEnv,
} from '../../config/graphCredentialChoice';

/** The token scope for the Graph root in use: "<origin of GRAPH_BASE_URL>/.default". */
export function graphScope(env: GraphEnv): string {
  return `${new URL(value(env, 'GRAPH_BASE_URL') ?? DEFAULT_GRAPH_BASE_URL).origin}/.default`;
}

/** Builds the configured credential; undefined when none is configured. Throws on an invalid set. */
export function createGraphCredential(env: GraphEnv): TokenCredential | undefined {
  const description = describeGraphCredential(env);
  const authorityHost = value(env, 'AZURE_AUTHORITY_HOST');
  const options: TokenCredentialOptions = authorityHost ? { authorityHost } : {};
  const tenantId = value(env, 'AZURE_TENANT_ID') as string;
  const clientId = value(env, 'AZURE_CLIENT_ID') as string;
  switch (description.kind) {
    case 'none':
      return undefined;
    case 'invalid':
      throw new Error(`The Graph credential is misconfigured: ${description.problems.join(' ')}`);
    case 'clientSecret':
      return new ClientSecretCredential(tenantId, clientId, value(env, 'AZURE_CLIENT_SECRET') as string, options);
    case 'clientCertificate': {
      const certificatePassword = value(env, 'AZURE_CLIENT_CERTIFICATE_PASSWORD');
      return new ClientCertificateCredential(
        tenantId,
        clientId,
        { certificatePath: value(env, 'AZURE_CLIENT_CERTIFICATE_PATH') as string, ...(certificatePassword ? { certificatePassword } : {}) },
        options,
      );
    }
    case 'userAssignedManagedIdentity':
      return new ManagedIdentityCredential({ clientId, ...options });
    case 'systemAssignedManagedIdentity':
      return new ManagedIdentityCredential(options);
  }
}

/**
 * A function that returns a Graph access token, or undefined when no credential is configured
 * (the bot then only talks to the local sandbox, which needs none).
 */
export function createGraphTokenProvider(env: GraphEnv): (() => Promise<string>) | undefined {
  const credential = createGraphCredential(env);
  return credential ? tokenProvider(credential, graphScope(env)) : undefined;
}

/** How long one token request may take (the identity endpoint or the managed-identity service). */
export const TOKEN_TIMEOUT_MS = 15_000;

/**
 * Tokens from `credential`, each request within `timeoutMs`: @azure/identity sets no time-out of
 * its own, and a token endpoint that takes the connection and never answers would otherwise hold
 * every Graph call behind it (an invitation's pacer slot, an approver check, the sweep's lease).
 * Callers while a request is in flight share it; it is aborted at its deadline and the next call
 * asks again. The library caches tokens, so nearly every call is answered from memory.
 */
export function tokenProvider(credential: TokenCredential, scope: string, timeoutMs = TOKEN_TIMEOUT_MS): () => Promise<string> {
  // Raced by sharedWithin as well: a credential that ignores the signal still answers in time.
  return sharedWithin(timeoutMs, `Graph token for ${scope}`, async () => {
    const token = await credential.getToken(scope, { abortSignal: currentSignal(), requestOptions: { timeout: timeoutMs } });
    if (!token) throw new Error(`The Graph credential returned no token for ${scope}`);
    return token.token;
  });
}

/**
 * The claims of a JWT, decoded but NOT verified: for a self-check that reads which application
 * roles (e.g. User.Invite.All) the token carries. Never use it to trust a token.
 */
export function decodeJwtClaimsUnverified(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The token's "roles" claim (application permissions), unverified; [] when absent or unreadable. */
export function jwtRolesUnverified(token: string): string[] {
  const roles = decodeJwtClaimsUnverified(token)?.roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
}

function value(env: GraphEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}
