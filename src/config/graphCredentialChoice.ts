/**
 * Which Graph credential the environment selects (the standard @azure/identity variables), pure and
 * without the Azure SDK, so the configuration can be checked before anything is built:
 *   AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET            → client secret
 *   AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_CERTIFICATE_PATH  → client certificate
 *   AZURE_CLIENT_ID alone                                              → user-assigned managed identity
 *   AZURE_USE_MANAGED_IDENTITY=true (+ optional AZURE_CLIENT_ID)       → system-/user-assigned managed identity
 *   nothing                                                            → no credential (local sandbox only)
 * adapters/graph/credential.ts builds the credential from it.
 */

export type GraphEnv = Readonly<Record<string, string | undefined>>;

export type GraphCredentialKind =
  'none' | 'clientSecret' | 'clientCertificate' | 'userAssignedManagedIdentity' | 'systemAssignedManagedIdentity' | 'invalid';

export interface GraphCredentialDescription {
  readonly kind: GraphCredentialKind;
  /** One line per configuration problem (only for kind "invalid"); never contains a secret. */
  readonly problems: readonly string[];
}

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

/** Which credential the environment configures; pure, for start-up validation. */
export function describeGraphCredential(env: GraphEnv): GraphCredentialDescription {
  const tenantId = value(env, 'AZURE_TENANT_ID');
  const clientId = value(env, 'AZURE_CLIENT_ID');
  const secret = value(env, 'AZURE_CLIENT_SECRET');
  const certificatePath = value(env, 'AZURE_CLIENT_CERTIFICATE_PATH');
  const managed = value(env, 'AZURE_USE_MANAGED_IDENTITY');

  if (managed !== undefined && !/^(true|false|1|0)$/i.test(managed)) {
    return invalid(`AZURE_USE_MANAGED_IDENTITY must be "true" or "false", got "${managed}".`);
  }
  const useManagedIdentity = managed !== undefined && /^(true|1)$/i.test(managed);

  if (secret || certificatePath) {
    const what = secret ? 'AZURE_CLIENT_SECRET' : 'AZURE_CLIENT_CERTIFICATE_PATH';
    const problems = [
      ...(tenantId ? [] : [`${what} is set but AZURE_TENANT_ID is missing.`]),
      ...(clientId ? [] : [`${what} is set but AZURE_CLIENT_ID is missing.`]),
      ...(useManagedIdentity ? [`AZURE_USE_MANAGED_IDENTITY=true conflicts with ${what}; choose one credential.`] : []),
    ];
    if (problems.length > 0) return { kind: 'invalid', problems };
    return { kind: secret ? 'clientSecret' : 'clientCertificate', problems: [] };
  }
  if (useManagedIdentity) return { kind: clientId ? 'userAssignedManagedIdentity' : 'systemAssignedManagedIdentity', problems: [] };
  if (clientId && tenantId) {
    // Most likely an app registration whose secret was forgotten; guessing "managed identity" would hide that.
    return invalid(
      'AZURE_TENANT_ID and AZURE_CLIENT_ID are set without AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH; ' +
        'set one of them, or AZURE_USE_MANAGED_IDENTITY=true to use a user-assigned managed identity.',
    );
  }
  if (clientId) return { kind: 'userAssignedManagedIdentity', problems: [] };
  if (tenantId) return invalid('AZURE_TENANT_ID is set without AZURE_CLIENT_ID and a secret or certificate.');
  return { kind: 'none', problems: [] };
}

function value(env: GraphEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function invalid(problem: string): GraphCredentialDescription {
  return { kind: 'invalid', problems: [problem] };
}
