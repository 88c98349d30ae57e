/**
 * Production entry point (`npm start`): configuration from the environment (and an optional .env),
 * one clear line per problem and exit 1 before listening if anything is wrong.
 */
import { config as loadDotenv } from 'dotenv';
import { createApp } from './app';
import { loadConfig } from './config/loadConfig';

async function main(): Promise<void> {
  loadDotenv({ quiet: true } as Parameters<typeof loadDotenv>[0]);
  const result = loadConfig(process.env);
  if (!result.ok) {
    for (const problem of result.problems) process.stderr.write(`config: ${problem}\n`);
    process.exit(1);
  }
  const { config } = result;
  const app = await createApp(config);
  const port = await app.listen(config.port);
  app.log.info(
    { port, localMode: config.bot.localMode, tenantCheck: Boolean(config.tenantId), graph: config.graph.baseUrl, graphCredential: config.graph.credential, approvers: config.approverIds.length },
    'guest access bot listening',
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    app
      .stop(10_000)
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
