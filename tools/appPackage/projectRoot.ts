/**
 * Finds the repository root (the folder with package.json and manifest/manifest.json) for the
 * packaging scripts: above the compiled script first (build/tools/scripts/… → root), else the working
 * directory and its parents (npm runs scripts from the root; builds into other folders work too).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function isRoot(dir: string): boolean {
  return existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'manifest', 'manifest.json'));
}

export function findProjectRoot(scriptDir: string, cwd: string = process.cwd()): string {
  const fromScript = resolve(scriptDir, '..', '..', '..');
  if (isRoot(fromScript)) return fromScript;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (isRoot(dir)) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the project root (package.json + manifest/manifest.json) from ${scriptDir} or ${cwd}`);
}

export function projectVersion(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
