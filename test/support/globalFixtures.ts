/**
 * Mocha global fixtures: one Azurite and one Graph sandbox for the whole run, started here so that
 * `npm test` needs nothing running beforehand. Tests find them through the TEST_* variables.
 */
import { startAzurite, type RunningAzurite } from '../../tools/azurite';
import { startGraphSandbox, type RunningGraphSandbox } from '../../tools/sandbox/graph/server';

let azurite: RunningAzurite | undefined;
let graph: RunningGraphSandbox | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  azurite = await startAzurite();
  graph = await startGraphSandbox({ host: '127.0.0.1', port: 0 });
  process.env.TEST_STORAGE_CONNECTION_STRING = azurite.connectionString;
  process.env.TEST_GRAPH_BASE_URL = graph.baseUrl;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await graph?.stop();
  await azurite?.stop();
}
