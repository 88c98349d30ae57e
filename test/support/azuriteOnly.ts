/**
 * Mocha global fixtures that start only Azurite: for running the storage adapter's tests on their
 * own (the project's full run uses globalFixtures.ts, which also starts the Graph sandbox).
 *   mocha --no-config --require build/test/support/azuriteOnly.js 'build/test/adapters/storage/**\/*.spec.js'
 */
import { startAzurite, type RunningAzurite } from '../../tools/azurite';

let azurite: RunningAzurite | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  azurite = await startAzurite();
  process.env.TEST_STORAGE_CONNECTION_STRING = azurite.connectionString;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await azurite?.stop();
}
