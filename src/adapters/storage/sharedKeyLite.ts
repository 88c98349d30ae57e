/**
 * Shared Key Lite signing for Azure Tables with the account key imported once, as a KeyObject.
 *
 * The data-tables SDK signs each request by decoding the account key into a Buffer and handing it
 * to createHmac. On Node 24, createHmac first asks whether that Buffer is a KeyObject and then
 * whether it is a CryptoKey; each question is a private-field probe that throws and catches a
 * TypeError, stack trace included. Under the bench's flow load that was about 5 % of the bot's CPU
 * (README, Performance). A KeyObject answers the first question without a throw.
 *
 * The string to sign is the SDK's, byte for byte (tablesNamedCredentialPolicy.ts in
 * @azure/data-tables, after Microsoft's "Shared Key Lite and Table service format"): the x-ms-date
 * header, a newline, then "/" + account + the URL's path and, if the URL has one, "?comp=" and its
 * value. Azurite checks the signature as Azure does, so every storage test signs through this.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';

/** What a TableClient's pipeline takes. */
type Policy = Parameters<TableClient['pipeline']['addPolicy']>[0];

/** The name data-tables gives its own Shared Key Lite policy (tablesNamedKeyCredentialPolicyName). */
const SDK_POLICY_NAME = 'tablesNamedKeyCredentialPolicy';

/**
 * Azurite's well-known development account (public, documented by Microsoft; not a secret), which
 * `UseDevelopmentStorage=true` names. tools/azurite.ts starts Azurite with it.
 */
export const DEVELOPMENT_ACCOUNT = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

/** `name=value` of a connection string, the name matched without case, as the SDK reads it (connectionString.ts). */
function valueIn(connectionString: string, name: string): string {
  for (const element of connectionString.split(';')) {
    const trimmed = element.trim();
    const eq = trimmed.indexOf('=');
    if (eq > 0 && trimmed.slice(0, eq).toLowerCase() === name.toLowerCase()) return trimmed.slice(eq + 1);
  }
  return '';
}

/**
 * The account name and key of an account connection string (the kind the SDK signs with Shared
 * Key Lite), or undefined for any other kind (SAS), which keeps the SDK's own handling.
 */
export function accountKeyOf(connectionString: string): { readonly name: string; readonly key: string } | undefined {
  const lower = connectionString.toLowerCase();
  if (lower.includes('usedevelopmentstorage=true')) return DEVELOPMENT_ACCOUNT;
  if (!lower.includes('defaultendpointsprotocol=') || !lower.includes('accountkey=')) return undefined;
  const name = valueIn(connectionString, 'AccountName');
  const key = valueIn(connectionString, 'AccountKey');
  return name && key ? { name, key } : undefined;
}

/** The policy: sets x-ms-date when missing (and Content-Length of a text body, as the SDK does), then signs. */
export function sharedKeyLitePolicy(account: string, key: KeyObject): Policy {
  return {
    name: 'sharedKeyLite',
    sendRequest(request, next) {
      if (!request.headers.has('x-ms-date')) request.headers.set('x-ms-date', new Date().toUTCString());
      if (typeof request.body === 'string' && request.body.length > 0)
        request.headers.set('Content-Length', Buffer.byteLength(request.body));
      const url = new URL(request.url);
      const comp = url.searchParams.get('comp');
      const resource = `/${account}${url.pathname || '/'}${comp ? `?comp=${comp}` : ''}`;
      const signature = createHmac('sha256', key)
        .update(`${request.headers.get('x-ms-date')}\n${resource}`, 'utf8')
        .digest('base64');
      request.headers.set('Authorization', `SharedKeyLite ${account}:${signature}`);
      return next(request);
    },
  };
}

/**
 * Puts our policy where the SDK's was, for a client built from an account connection string. A
 * client without the SDK's policy (SAS), a connection string we do not read as the SDK does, or a
 * key that cannot be imported is left as the SDK built it: it still signs, only more slowly.
 */
export function signWithKeyObject(client: TableClient, connectionString: string): TableClient {
  const account = accountKeyOf(connectionString);
  if (!account) return client;
  let key: KeyObject;
  try {
    key = createSecretKey(Buffer.from(account.key, 'base64'));
  } catch {
    return client;
  }
  if (client.pipeline.removePolicy({ name: SDK_POLICY_NAME }).length === 0) return client;
  client.pipeline.addPolicy(sharedKeyLitePolicy(account.name, key));
  return client;
}
