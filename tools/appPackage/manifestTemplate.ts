/**
 * The committed manifest (manifest/manifest.json) is a template: per-deployment values are written
 * as `${{NAME}}` placeholders and filled from environment variables when the app package is built.
 *
 * | placeholder               | environment variable    | rule                                             |
 * |---------------------------|-------------------------|--------------------------------------------------|
 * | `${{BOT_ID}}`             | `MicrosoftAppId`        | required; a GUID (the bot's Microsoft App ID)    |
 * | `${{APP_ID}}`             | `TEAMS_APP_ID`          | optional GUID; default derived from the bot id   |
 * | `${{BOT_DOMAIN}}`         | `BOT_DOMAIN`            | required; host name only (no scheme, no path)    |
 * | `${{APP_VERSION}}`        | `APP_VERSION`           | optional MAJOR.MINOR.PATCH; default package.json |
 * | `${{DEVELOPER_NAME}}`     | `DEVELOPER_NAME`        | optional, ≤ 32 characters; warned when defaulted |
 * | `${{DEVELOPER_WEBSITE_URL}}`, `${{DEVELOPER_PRIVACY_URL}}`, `${{DEVELOPER_TERMS_URL}}` | same names | optional https URLs; warned when defaulted |
 *
 * Values are checked before they are used, and they are substituted into the parsed JSON (never into
 * the JSON text), so no value can change the manifest's structure.
 */
import { createHash } from 'node:crypto';

export type Env = Readonly<Record<string, string | undefined>>;

export interface PackageSettings {
  readonly botId: string;
  readonly appId: string;
  readonly botDomain: string;
  readonly appVersion: string;
  readonly developerName: string;
  readonly developerWebsiteUrl: string;
  readonly developerPrivacyUrl: string;
  readonly developerTermsUrl: string;
}

export type SettingsResult =
  | { readonly ok: true; readonly settings: PackageSettings; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[]; readonly warnings: readonly string[] };

/**
 * Namespace for deriving the default Teams app id from the bot id (UUID version 5), so one bot
 * registration always gets the same Teams app id and two deployments never share one. Committed
 * constant: changing it changes every default app id.
 */
export const TEAMS_APP_ID_NAMESPACE = '3f0c2a8e-6b41-4d5e-9a57-2b8f61c4d0a3';

export const DEFAULT_DEVELOPER = {
  name: 'Guest Access Bot maintainers',
  websiteUrl: 'https://example.com/guest-access-bot',
  privacyUrl: 'https://example.com/guest-access-bot/privacy',
  termsUrl: 'https://example.com/guest-access-bot/terms',
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_GUID = '00000000-0000-0000-0000-000000000000';
const VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** UUID version 5 (RFC 9562 §5.5): SHA-1 of namespace bytes + name, with version and variant bits. */
export function uuidV5(name: string, namespace: string): string {
  if (!GUID.test(namespace)) throw new RangeError(`namespace is not a GUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(Buffer.from(name, 'utf8'))
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Teams app id used when TEAMS_APP_ID is not set: stable for a given bot id. */
export function defaultTeamsAppId(botId: string): string {
  return uuidV5(botId.toLowerCase(), TEAMS_APP_ID_NAMESPACE);
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function shown(raw: string): string {
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
}

function checkHost(raw: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return 'must be a host name only, without https://';
  if (/[/?#@:\s]/.test(raw)) return 'must be a host name only, without a port, path, query or spaces';
  const host = raw.toLowerCase().replace(/\.$/, '');
  if (host.length > 253) return 'is longer than 253 characters';
  const labels = host.split('.');
  if (labels.length < 2) return 'must be a fully qualified host name like guestaccess.azurewebsites.net';
  if (!labels.every((label) => HOST_LABEL.test(label))) return 'is not a valid host name';
  if (host === 'localhost' || /^\d+(\.\d+){3}$/.test(host)) return 'must be a public host name that Teams can reach over https';
  return undefined;
}

function checkHttpsUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (raw.length > 2048) return 'is longer than 2048 characters';
  return undefined;
}

/**
 * Reads and checks every setting at once: one line per missing or invalid value, so an operator
 * can fix them all in one go.
 */
export function resolvePackageSettings(env: Env, defaultVersion: string): SettingsResult {
  const errors: string[] = [];
  const warnings: string[] = [];

  const botId = value(env, 'MicrosoftAppId');
  if (!botId) {
    errors.push('MicrosoftAppId is not set: give the bot\'s Microsoft App ID (for the Bicep deployment, the output "identityClientId")');
  } else if (!GUID.test(botId) || botId === NIL_GUID) {
    errors.push(`MicrosoftAppId must be a GUID like 00000000-0000-0000-0000-000000000000 (got ${shown(botId)})`);
  }

  const explicitAppId = value(env, 'TEAMS_APP_ID');
  if (explicitAppId && (!GUID.test(explicitAppId) || explicitAppId === NIL_GUID)) {
    errors.push(`TEAMS_APP_ID must be a GUID (got ${shown(explicitAppId)}); leave it unset to derive one from MicrosoftAppId`);
  }

  const botDomain = value(env, 'BOT_DOMAIN');
  if (!botDomain) {
    errors.push(
      'BOT_DOMAIN is not set: give the bot\'s public host name, e.g. guestaccess.azurewebsites.net (the Bicep output "botDomain")',
    );
  } else {
    const problem = checkHost(botDomain);
    if (problem) errors.push(`BOT_DOMAIN ${problem} (got ${shown(botDomain)})`);
  }

  const appVersion = value(env, 'APP_VERSION') ?? defaultVersion;
  if (!VERSION.test(appVersion)) {
    errors.push(
      `APP_VERSION must be MAJOR.MINOR.PATCH with numbers only, e.g. 1.2.3 (got ${shown(appVersion)}${value(env, 'APP_VERSION') ? '' : ' from package.json'})`,
    );
  }

  const developerName = value(env, 'DEVELOPER_NAME') ?? DEFAULT_DEVELOPER.name;
  if (developerName.length > 32) errors.push(`DEVELOPER_NAME must be at most 32 characters (got ${developerName.length})`);
  const defaulted: string[] = value(env, 'DEVELOPER_NAME') ? [] : ['DEVELOPER_NAME'];

  const urls: Array<[string, string]> = [
    ['DEVELOPER_WEBSITE_URL', DEFAULT_DEVELOPER.websiteUrl],
    ['DEVELOPER_PRIVACY_URL', DEFAULT_DEVELOPER.privacyUrl],
    ['DEVELOPER_TERMS_URL', DEFAULT_DEVELOPER.termsUrl],
  ];
  const resolvedUrls = urls.map(([name, fallback]) => {
    const given = value(env, name);
    if (!given) {
      defaulted.push(name);
      return fallback;
    }
    const problem = checkHttpsUrl(given);
    if (problem) errors.push(`${name} ${problem} (got ${shown(given)})`);
    return given;
  });

  if (defaulted.length > 0) {
    warnings.push(
      `${defaulted.join(', ')} not set: the app's developer details show placeholders (example.com); ` +
        "set them to your organisation's name and pages before users see the app",
    );
  }

  if (errors.length > 0 || !botId || !botDomain) return { ok: false, errors, warnings };
  return {
    ok: true,
    warnings,
    settings: {
      botId: botId.toLowerCase(),
      appId: (explicitAppId ?? defaultTeamsAppId(botId)).toLowerCase(),
      botDomain: botDomain.toLowerCase().replace(/\.$/, ''),
      appVersion,
      developerName,
      developerWebsiteUrl: resolvedUrls[0] ?? DEFAULT_DEVELOPER.websiteUrl,
      developerPrivacyUrl: resolvedUrls[1] ?? DEFAULT_DEVELOPER.privacyUrl,
      developerTermsUrl: resolvedUrls[2] ?? DEFAULT_DEVELOPER.termsUrl,
    },
  };
}

/** Placeholder name → value, for {@link fillTemplate}. */
export function placeholderValues(settings: PackageSettings): Record<string, string> {
  return {
    BOT_ID: settings.botId,
    APP_ID: settings.appId,
    BOT_DOMAIN: settings.botDomain,
    APP_VERSION: settings.appVersion,
    DEVELOPER_NAME: settings.developerName,
    DEVELOPER_WEBSITE_URL: settings.developerWebsiteUrl,
    DEVELOPER_PRIVACY_URL: settings.developerPrivacyUrl,
    DEVELOPER_TERMS_URL: settings.developerTermsUrl,
  };
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export interface FilledTemplate {
  readonly manifest: unknown;
  /** One line per placeholder that has no value, naming where it is (JSON pointer). */
  readonly errors: readonly string[];
}

/** Replaces `${{NAME}}` in every string of the parsed template (keys are left alone). */
export function fillTemplate(template: unknown, values: Readonly<Record<string, string>>): FilledTemplate {
  const errors: string[] = [];
  const walk = (node: unknown, pointer: string): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (match, name: string) => {
        const replacement = values[name];
        if (replacement === undefined) {
          errors.push(`manifest.json ${pointer || '/'}: unknown placeholder ${match}`);
          return match;
        }
        return replacement;
      });
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${pointer}/${index}`));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        out[key] = walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
      return out;
    }
    return node;
  };
  return { manifest: walk(template, ''), errors };
}
