/**
 * `npm run package`: builds appPackage.zip (the Teams app package) from manifest/, filling the
 * manifest's placeholders from the environment and validating everything offline.
 *
 *   MicrosoftAppId=<bot app id> BOT_DOMAIN=<host> npm run package [-- --out path/to/app.zip]
 *
 * Optional: TEAMS_APP_ID, APP_VERSION, DEVELOPER_NAME, DEVELOPER_WEBSITE_URL,
 * DEVELOPER_PRIVACY_URL, DEVELOPER_TERMS_URL (see tools/appPackage/manifestTemplate.ts).
 * Exit code 0 = written; 1 = refused, one line per problem on stderr.
 */
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildAppPackage } from '../appPackage/buildAppPackage';
import { findProjectRoot, projectVersion } from '../appPackage/projectRoot';

function outPath(args: readonly string[], root: string): string {
  const index = args.indexOf('--out');
  if (index < 0) return join(root, 'appPackage.zip');
  const value = args[index + 1];
  if (!value) throw new Error('--out needs a file path');
  return resolve(value);
}

async function main(): Promise<number> {
  const root = findProjectRoot(__dirname);
  const out = outPath(process.argv.slice(2), root);
  const result = await buildAppPackage({
    manifestDir: join(root, 'manifest'),
    env: process.env,
    defaultVersion: projectVersion(root),
    modified: new Date(),
  });
  const warn = (): void => {
    for (const warning of result.warnings) process.stderr.write(`package: warning: ${warning}\n`);
  };
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`package: ${error}\n`);
    warn();
    process.stderr.write(`package: refused (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}); nothing written\n`);
    return 1;
  }
  warn();
  writeFileSync(out, result.zip);
  const { settings } = result;
  const shown = relative(process.cwd(), out) || out;
  process.stdout.write(
    `package: wrote ${shown} (${result.zip.length} bytes): manifest ${String(result.manifest.manifestVersion)}, ` +
      `app id ${settings.appId}, bot id ${settings.botId}, domain ${settings.botDomain}, version ${settings.appVersion}\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`package: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
