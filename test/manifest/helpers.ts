/** Shared bits for the app-package tests: the real manifest folder and scratch copies of it. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProjectRoot, projectVersion } from '../../tools/appPackage/projectRoot';

export const TEST_BOT_ID = '8a3f6c1e-5b2d-4e7a-9c0f-1d2e3f4a5b6c';
export const TEST_DOMAIN = 'guestaccess-test.azurewebsites.net';

export const projectRoot = findProjectRoot(__dirname);
export const manifestDir = join(projectRoot, 'manifest');
export const packageVersion = projectVersion(projectRoot);

export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { MicrosoftAppId: TEST_BOT_ID, BOT_DOMAIN: TEST_DOMAIN, ...extra };
}

export interface ScratchManifest {
  readonly dir: string;
  readManifest(): Record<string, unknown>;
  writeManifest(manifest: unknown): void;
  writeFile(name: string, data: Uint8Array): void;
  remove(): void;
}

/** A copy of manifest/ in a temporary folder, to break on purpose. */
export function scratchManifest(): ScratchManifest {
  const dir = mkdtempSync(join(tmpdir(), 'gab-manifest-'));
  cpSync(manifestDir, dir, { recursive: true });
  return {
    dir,
    readManifest: () => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>,
    writeManifest: (manifest) => writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2)),
    writeFile: (name, data) => writeFileSync(join(dir, name), data),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
