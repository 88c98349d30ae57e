/**
 * Production entry point (`npm start`): configuration from the environment and an optional .env.
 */
import { config as loadDotenv } from 'dotenv';
import { runServer } from './runServer';

loadDotenv({ quiet: true } as Parameters<typeof loadDotenv>[0]);
runServer(process.env).catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
