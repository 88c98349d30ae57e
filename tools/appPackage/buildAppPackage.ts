/**
 * Builds the Teams app package (appPackage.zip): fills the manifest template from the environment,
 * validates it offline against the bundled official schema, checks the icons, and zips
 * manifest.json + the two icons + the localization files (de-de.json) at the archive root. Nothing is
 * written here; the caller decides where the bytes go (tools/scripts/package.ts writes appPackage.zip).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { checkIcon, type IconRole } from './iconChecks';
import { fillTemplate, placeholderValues, resolvePackageSettings, type Env, type PackageSettings } from './manifestTemplate';
import { validateLocalization, validateManifest } from './validateManifest';
import { zipSync, type Zippable } from 'fflate';

export interface BuildAppPackageOptions {
  /** Folder holding manifest.json and the icons it names (the repository's manifest/). */
  readonly manifestDir: string;
  readonly env: Env;
  /** APP_VERSION when the environment does not set one (package.json's version). */
  readonly defaultVersion: string;
  /** Modification time written into the zip entries (default 1 Jan 1980, so equal input gives equal bytes). */
  readonly modified?: Date;
}

export type BuildAppPackageResult =
  | {
      readonly ok: true;
      readonly zip: Buffer;
      readonly manifest: Record<string, unknown>;
      readonly settings: PackageSettings;
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly errors: readonly string[]; readonly warnings: readonly string[] };

const ICON_ROLES: readonly IconRole[] = ['color', 'outline', 'color32x32'];

function readTemplate(manifestDir: string): { template?: unknown; error?: string } {
  const file = join(manifestDir, 'manifest.json');
  if (!existsSync(file)) return { error: `manifest.json not found in ${manifestDir}` };
  try {
    return { template: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (err) {
    return { error: `manifest.json is not valid JSON: ${(err as Error).message}` };
  }
}

/** Resolves an icon path from the manifest inside manifestDir, refusing anything that escapes it. */
function iconFile(manifestDir: string, relative: string): string | undefined {
  if (relative.includes('\\') || relative.startsWith('/') || relative.split('/').includes('..')) return undefined;
  const root = resolve(manifestDir);
  const file = resolve(root, relative);
  return file.startsWith(root + sep) ? file : undefined;
}

export async function buildAppPackage(options: BuildAppPackageOptions): Promise<BuildAppPackageResult> {
  const settingsResult = resolvePackageSettings(options.env, options.defaultVersion);
  const warnings = [...settingsResult.warnings];
  const { template, error } = readTemplate(options.manifestDir);
  const errors: string[] = settingsResult.ok ? [] : [...settingsResult.errors];
  if (error) errors.push(error);
  if (!settingsResult.ok || error) return { ok: false, errors, warnings };
  const { settings } = settingsResult;

  const filled = fillTemplate(template, placeholderValues(settings));
  errors.push(...filled.errors);
  const manifest = filled.manifest;
  errors.push(...(await validateManifest(manifest)));
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) return { ok: false, errors, warnings };
  const record = manifest as Record<string, unknown>;

  // Icons: every icon the manifest names must exist beside it and follow the Teams rules.
  const entries: Array<{ readonly name: string; readonly data: Uint8Array }> = [];
  const icons = record.icons;
  if (icons !== null && typeof icons === 'object') {
    for (const role of ICON_ROLES) {
      const relative = (icons as Record<string, unknown>)[role];
      if (relative === undefined) continue;
      if (typeof relative !== 'string') continue; // reported by the schema
      const file = iconFile(options.manifestDir, relative);
      if (!file) {
        errors.push(`manifest.json /icons/${role}: ${JSON.stringify(relative)} must be a file name inside the manifest folder`);
        continue;
      }
      if (!existsSync(file)) {
        errors.push(`${relative} (${role} icon) not found in ${options.manifestDir}`);
        continue;
      }
      const data = readFileSync(file);
      const problems = checkIcon(role, relative, data);
      errors.push(...problems);
      if (problems.length === 0 && !entries.some((e) => e.name === relative)) entries.push({ name: relative, data });
    }
  }

  // Localization files (German command titles): validated and packed beside manifest.json.
  const info = record.localizationInfo as { additionalLanguages?: Array<{ file?: unknown }> } | undefined;
  for (const { file: relative } of info?.additionalLanguages ?? []) {
    const file = typeof relative === 'string' ? iconFile(options.manifestDir, relative) : undefined;
    if (!file || !existsSync(file)) {
      errors.push(`manifest.json /localizationInfo: ${JSON.stringify(relative)} must be a file inside ${options.manifestDir}`);
      continue;
    }
    const data = readFileSync(file);
    let content: unknown;
    try {
      content = JSON.parse(data.toString('utf8'));
    } catch (err) {
      errors.push(`${String(relative)} is not valid JSON: ${(err as Error).message}`);
      continue;
    }
    errors.push(...(await validateLocalization(String(relative), content, String(record.manifestVersion))));
    if (!entries.some((e) => e.name === relative)) entries.push({ name: String(relative), data });
  }

  // What the bot itself relies on, beyond the schema.
  const bots = Array.isArray(record.bots) ? (record.bots as Array<Record<string, unknown>>) : [];
  if (bots.length !== 1 || bots[0]?.botId !== settings.botId) {
    errors.push('manifest.json /bots: must declare exactly one bot whose botId is ${{BOT_ID}}');
  }

  if (errors.length > 0) return { ok: false, errors, warnings };
  const manifestJson = Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
  const files: Zippable = {};
  for (const entry of [{ name: 'manifest.json', data: manifestJson }, ...entries]) files[entry.name] = entry.data;
  const zip = Buffer.from(zipSync(files, { level: 9, mtime: options.modified ?? new Date(1980, 0, 1) }));
  return { ok: true, zip, manifest: record, settings, warnings };
}
