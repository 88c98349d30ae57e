/**
 * Helpers for the security tests: forged and genuine Bot Framework tokens (RS256, signed with keys
 * made here), an offline stand-in for the OpenID metadata botbuilder would otherwise download, and
 * "did anything happen?" snapshots of storage, the fake connector and the Graph sandbox.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { BotHarness } from '../support/botHarness';
import { allInvitations } from '../support/graphSandboxClient';

/** Where botbuilder (public cloud) downloads signing keys from: never reached by these tests. */
export const CHANNEL_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
export const EMULATOR_METADATA_URL = 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration';
export const CHANNEL_ISSUER = 'https://api.botframework.com';
/** One of the issuers botbuilder accepts for emulator/AAD tokens (ToBotFromBotOrEmulatorTokenValidationParameters). */
export const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicPem: string;
}

export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS (RS256) over `claims`, with `kid` in the header. */
export function signJwt(claims: Record<string, unknown>, key: { kid: string; privateKey: KeyObject }): string {
  const head = `${b64url({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64url(claims)}`;
  const signature = createSign('RSA-SHA256').update(head).sign(key.privateKey).toString('base64url');
  return `${head}.${signature}`;
}

export function channelClaims(appId: string, serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: CHANNEL_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...extra };
}

export function emulatorClaims(appId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: EMULATOR_ISSUER, aud: appId, appid: appId, ver: '1.0', nbf: now - 60, iat: now - 60, exp: now + 3600, ...extra };
}

type MetadataKey = { key: string; endorsements?: string[] } | null;
interface FakeMetadata {
  getKey(kid: string): Promise<MetadataKey>;
}

/**
 * botbuilder keeps one OpenIdMetadata per metadata URL in a static cache (JwtTokenExtractor, not
 * exported from the package index). Putting our own object there replaces only the download of
 * the signing keys; every other step of token validation stays botbuilder's own.
 */
function metadataCache(): Map<string, FakeMetadata> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { JwtTokenExtractor } = require('botframework-connector/lib/auth/jwtTokenExtractor') as { JwtTokenExtractor: unknown };
  return (JwtTokenExtractor as { openIdMetadataCache: Map<string, FakeMetadata> }).openIdMetadataCache;
}

export type MetadataBehaviour = { kind: 'keys'; keys: readonly SigningKey[]; delayMs?: number } | { kind: 'unreachable' };

/** Makes both metadata URLs answer as `behaviour` says; returns how many look-ups were made. */
export function fakeOpenIdMetadata(behaviour: MetadataBehaviour): { lookups: () => number; restore: () => void } {
  const cache = metadataCache();
  const saved = new Map([CHANNEL_METADATA_URL, EMULATOR_METADATA_URL].map((url) => [url, cache.get(url)] as const));
  let lookups = 0;
  const fake: FakeMetadata = {
    async getKey(kid) {
      lookups++;
      if (behaviour.kind === 'unreachable') {
        // What node-fetch throws offline (seen here: getaddrinfo ENOTFOUND login.botframework.com).
        throw Object.assign(new Error(`request to ${CHANNEL_METADATA_URL} failed, reason: getaddrinfo ENOTFOUND login.botframework.com`), {
          name: 'FetchError',
          code: 'ENOTFOUND',
        });
      }
      if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      const found = behaviour.keys.find((k) => k.kid === kid);
      return found ? { key: found.publicPem, endorsements: ['msteams'] } : null;
    },
  };
  for (const url of saved.keys()) cache.set(url, fake);
  return {
    lookups: () => lookups,
    restore() {
      for (const [url, previous] of saved) {
        if (previous) cache.set(url, previous);
        else cache.delete(url);
      }
    },
  };
}

export interface SideEffects {
  readonly requests: number;
  readonly connectorCalls: number;
  readonly invitations: number;
}

/** How many requests `requesterIds` have stored, what the connector got, what Graph got. */
export async function sideEffects(bot: BotHarness, requesterIds: readonly string[]): Promise<SideEffects> {
  await bot.idle();
  let requests = 0;
  for (const id of requesterIds) requests += (await bot.app.workflow.store.listByRequester(id, 1000)).items.length;
  return { requests, connectorCalls: bot.connector.calls.length, invitations: (await allInvitations()).length };
}

/** Raw POST to /api/messages with any body and headers (no JSON encoding done here). */
export async function rawPost(
  bot: BotHarness,
  body: string | Uint8Array | FormData | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, text, ms: Date.now() - started };
}

export async function healthy(bot: BotHarness): Promise<boolean> {
  const response = await fetch(`${bot.url}/healthz`);
  return response.status === 200;
}

/** botbuilder console.error()s every refused token with a stack trace; keep the test output readable. */
export function quietBotbuilderConsole(): () => void {
  const original = console.error;
  console.error = () => undefined;
  return () => {
    console.error = original;
  };
}
