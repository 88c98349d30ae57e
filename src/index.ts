/**
 * Production entry point (`npm start`): configuration from the environment and an optional .env.
 */
import { loadOptionalEnvFile } from './config/envFile';
import { runServer } from './runServer';

loadOptionalEnvFile();
runServer(process.env).catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
