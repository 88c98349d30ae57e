/**
 * `npm run dev`: the whole thing on this machine, no Azure account. Azurite (data kept in .data/),
 * the Graph sandbox, the bot, and the Microsoft 365 Agents Playground pointed at it. Ctrl-C stops
 * everything (children by their PID).
 */
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { loadOptionalEnvFile } from '../../src/config/envFile';
import { loadConfig } from '../../src/config/loadConfig';
import { createLogger, prettyDestination } from '../../src/logging';
import { startAzurite } from '../azurite';
import { DEV, devEnvironment } from '../devSettings';
import { startPlayground } from '../playground';
import { startGraphSandbox } from '../sandbox/graph/server';

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  loadOptionalEnvFile(join(root, '.env'));
  const env = devEnvironment(process.env);

  const azurite = await startAzurite({ port: DEV.azuritePort, location: join(root, DEV.dataFolder) });
  const chaos = Number(process.env.GRAPH_SANDBOX_CHAOS ?? '0');
  const graph = await startGraphSandbox({
    host: '127.0.0.1',
    port: DEV.graphPort,
    latencyMs: Number(process.env.GRAPH_SANDBOX_LATENCY_MS ?? '300'),
    chaos: chaos > 0 ? { rate: chaos } : undefined,
  });

  const result = loadConfig(env);
  if (!result.ok) {
    for (const problem of result.problems) process.stderr.write(`config: ${problem}\n`);
    await graph.stop();
    await azurite.stop();
    process.exit(1);
  }
  // Readable lines for the person at the terminal; production (npm start) logs JSON.
  const app = await createApp(result.config, { log: createLogger(result.config.logLevel, prettyDestination(process.stdout)) });
  const port = await app.listen(result.config.port, '127.0.0.1');

  const playground = await startPlayground({
    botEndpoint: `http://127.0.0.1:${port}/api/messages`,
    port: DEV.playgroundPort,
    configFile: join(root, '.m365agentsplayground.yml'),
    cwd: root,
    logFile: join(root, '.data', 'playground.log'),
    onOutput: (line) => process.stdout.write(`[playground] ${line}\n`),
  }).catch(async (err: unknown) => {
    await app.stop(5000);
    await graph.stop();
    await azurite.stop();
    throw err;
  });

  process.stdout.write(
    [
      '',
      'Guest Access Bot — local sandbox',
      `  bot              http://127.0.0.1:${port}/api/messages   (health: /healthz)`,
      `  Agents Playground ${playground.url}   ← open this, type "request"`,
      `  Graph sandbox    ${graph.baseUrl}   (what it received: ${graph.baseUrl.replace('/v1.0', '')}/_sandbox/invitations)`,
      `  Azurite tables   http://127.0.0.1:${azurite.port}   (data in ${DEV.dataFolder})`,
      `  approvers        ${result.config.approverIds.join(', ')}`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping…\n');
    await playground.stop();
    await app.stop(5000);
    await graph.stop();
    await azurite.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  playground.process.on('exit', (code) => {
    if (!stopping) process.stderr.write(`[playground] exited (${code}); the bot keeps running\n`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`dev: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
