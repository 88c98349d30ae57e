/**
 * `npm run dev`: the whole thing on this machine, no Azure account. Azurite (data kept in .data/),
 * the Graph sandbox, the bot, and one Microsoft 365 Agents Playground per person (Rita the requester,
 * Anna and Ben the approvers) behind one connector router (tools/connectorRouter.ts), so each
 * approval card shows up in its approver's own Playground. Ctrl-C stops everything (children by
 * their PID).
 */
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { loadOptionalEnvFile } from '../../src/config/envFile';
import { loadConfig } from '../../src/config/loadConfig';
import { createLogger, prettyDestination } from '../../src/logging';
import { startAzurite } from '../azurite';
import { DEV, devEnvironment } from '../devSettings';
import { startPlaygroundsFor } from '../playgroundsForPeople';
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

  const playgrounds = await startPlaygroundsFor({
    botEndpoint: `http://127.0.0.1:${port}/api/messages`,
    tenantId: result.config.tenantId,
    seats: DEV.playgrounds,
    folder: join(root, DEV.playgroundFolder),
    routerPort: DEV.connectorRouterPort,
    onOutput: (key, line) => process.stdout.write(`[playground ${key}] ${line}\n`),
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
      ...playgrounds.playgrounds.map(
        ({ seat, playground }) =>
          `  ${`Playground ${seat.person.name.split(' ')[0]}`.padEnd(17)}${playground.url}   ${seat.key === 'rita' ? '← you are Rita Requester: type "request"' : `← you are ${seat.person.name}: approval cards arrive here`}`,
      ),
      `  Teams connector  ${playgrounds.router.serviceUrl}   (one serviceUrl for all Playgrounds)`,
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
    await playgrounds.stop();
    await app.stop(5000);
    await graph.stop();
    await azurite.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for (const { seat, playground } of playgrounds.playgrounds) {
    playground.process.on('exit', (code) => {
      if (!stopping) process.stderr.write(`[playground ${seat.key}] exited (${code}); the bot keeps running\n`);
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`dev: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
