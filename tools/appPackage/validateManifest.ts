/**
 * Validates a Teams app manifest OFFLINE against the official JSON schema that ships inside the npm
 * package @microsoft/app-manifest (build/json-schemas/teams/v<version>/MicrosoftTeams.schema.json),
 * using that package's own validator (AppManifestUtils.validateAgainstSchema, ajv underneath).
 *
 * The schema is always read from disk and handed to the validator explicitly: the package would
 * otherwise fall back to downloading the URL in `$schema`, and packaging must never touch the network.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';

type ValidatorManifest = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];
type ValidatorSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

const SCHEMA_URL_PREFIX = 'https://developer.microsoft.com/json-schemas/teams/';

function packageRoot(): string {
  return dirname(require.resolve('@microsoft/app-manifest/package.json'));
}

/** Version of the installed @microsoft/app-manifest package (for messages and the report). */
export function appManifestPackageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

function teamsSchemaFolder(): string {
  return join(packageRoot(), 'build', 'json-schemas', 'teams');
}

/** The Teams manifest versions whose schema is bundled, oldest first (e.g. ["1.0", …, "1.30"]). */
export function bundledTeamsSchemaVersions(): string[] {
  const folder = teamsSchemaFolder();
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /^v\d+\.\d+$/.test(name) && existsSync(join(folder, name, 'MicrosoftTeams.schema.json')))
    .map((name) => name.slice(1))
    .sort((a, b) => {
      const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
      const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
      return aMajor - bMajor || aMinor - bMinor;
    });
}

/** The newest bundled schema version. */
export function latestBundledTeamsSchemaVersion(): string | undefined {
  return bundledTeamsSchemaVersions().at(-1);
}

/** Path of the bundled schema file for a manifest version, or undefined when it is not bundled. */
export function bundledTeamsSchemaPath(manifestVersion: string): string | undefined {
  if (!/^\d+\.\d+$/.test(manifestVersion)) return undefined;
  const file = join(teamsSchemaFolder(), `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  return existsSync(file) ? file : undefined;
}

/** The official schema URL for a manifest version (what `$schema` should say). */
export function teamsSchemaUrl(manifestVersion: string): string {
  return `${SCHEMA_URL_PREFIX}v${manifestVersion}/MicrosoftTeams.schema.json`;
}

function loadSchema(file: string): ValidatorSchema {
  // Same clean-up as the package's own loader: some published schemas contain \a and \v escapes
  // that JSON.parse rejects.
  const text = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(text) as ValidatorSchema;
}

/** Turns the validator's `"/path message. Details: {…}"` strings into one readable line each. */
function formatError(raw: string): string {
  const cut = raw.lastIndexOf('. Details: ');
  const head = (cut >= 0 ? raw.slice(0, cut) : raw).trim();
  let details: Record<string, unknown> = {};
  if (cut >= 0) {
    try {
      details = JSON.parse(raw.slice(cut + '. Details: '.length)) as Record<string, unknown>;
    } catch {
      details = {};
    }
  }
  const space = head.indexOf(' ');
  const pointer = head.startsWith('/') && space > 0 ? head.slice(0, space) : '/';
  let message = head.startsWith('/') && space > 0 ? head.slice(space + 1) : head;
  if (typeof details.additionalProperty === 'string') message += `: "${details.additionalProperty}"`;
  if (Array.isArray(details.allowedValues)) message += ` (${details.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  if ('allowedValue' in details) message += ` (${JSON.stringify(details.allowedValue)})`;
  return `manifest.json ${pointer}: ${message}`;
}

/**
 * Validates against the bundled schema for the manifest's own `manifestVersion`.
 * Returns one line per problem; an empty array means the manifest is valid.
 */
export async function validateManifest(manifest: unknown): Promise<string[]> {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return ['manifest.json: must be a JSON object'];
  }
  const record = manifest as Record<string, unknown>;
  const version = record.manifestVersion;
  if (typeof version !== 'string') return ['manifest.json /: must have required property \'manifestVersion\' (a string such as "1.30")'];
  const schemaFile = bundledTeamsSchemaPath(version);
  if (!schemaFile) {
    const bundled = bundledTeamsSchemaVersions();
    return [
      `manifest.json /manifestVersion: no schema for version ${JSON.stringify(version)} is bundled in @microsoft/app-manifest@${appManifestPackageVersion()} ` +
        `(bundled: ${bundled.length > 0 ? `${bundled[0]} … ${bundled.at(-1)}` : 'none'}); packaging validates offline only`,
    ];
  }
  const problems: string[] = [];
  const declared = record.$schema;
  if (typeof declared === 'string') {
    const match = /\/json-schemas\/teams\/v([^/]+)\/MicrosoftTeams\.schema\.json$/.exec(declared);
    if (!match || match[1] !== version) {
      problems.push(`manifest.json /$schema: should be ${teamsSchemaUrl(version)} to match manifestVersion ${version}`);
    }
  }
  const raw = await AppManifestUtils.validateAgainstSchema(manifest as ValidatorManifest, loadSchema(schemaFile));
  for (const line of raw.map(formatError)) if (!problems.includes(line)) problems.push(line);
  return problems;
}

/**
 * Validates a localization file (localizationInfo.additionalLanguages[].file) against the bundled
 * MicrosoftTeams.Localization.schema.json of the manifest's version, offline like the manifest.
 */
export async function validateLocalization(file: string, content: unknown, manifestVersion: string): Promise<string[]> {
  const manifestSchema = bundledTeamsSchemaPath(manifestVersion);
  const schemaFile = manifestSchema && join(dirname(manifestSchema), 'MicrosoftTeams.Localization.schema.json');
  if (!schemaFile || !existsSync(schemaFile))
    return [`${file}: no localization schema for manifest version ${JSON.stringify(manifestVersion)} is bundled`];
  if (content === null || typeof content !== 'object' || Array.isArray(content)) return [`${file}: must be a JSON object`];
  // The published schema writes "\\b]" in two patterns, which the validator's unicode regexes refuse
  // ("lone quantifier brackets"): the bracket is meant literally.
  const schema = JSON.parse(JSON.stringify(loadSchema(schemaFile)).replace(/\\\\b]/g, '\\\\b\\\\]')) as ValidatorSchema;
  const raw = await AppManifestUtils.validateAgainstSchema(content as ValidatorManifest, schema);
  return raw.map((line) => formatError(line).replace(/^manifest\.json /, `${file} `));
}
