/**
 * The optional .env file `npm start` and the dev tools read before the environment is parsed.
 * Node's own loader: variables already set in the environment win over the file, as with dotenv.
 */
export function loadOptionalEnvFile(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (err) {
    // No file is the normal case in production (App Service sets app settings as variables).
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
