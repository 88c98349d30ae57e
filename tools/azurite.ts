/**
 * Starts Azurite's Table service as a child process on loopback, for tests, benchmarks and
 * `npm run dev`. Stopped by its PID, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEVELOPMENT_ACCOUNT } from '../src/adapters/storage/sharedKeyLite';
import { freePort, waitForPort } from './freePort';

/** Azurite's well-known development account (src/adapters/storage/sharedKeyLite.ts). */
export const AZURITE_ACCOUNT = DEVELOPMENT_ACCOUNT.name;
export const AZURITE_KEY = DEVELOPMENT_ACCOUNT.key;

export interface RunningAzurite {
  readonly port: number;
  readonly connectionString: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Folder for persisted data; omitted = in memory only. */
  readonly location?: string;
  readonly port?: number;
}

export function azuriteConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`
  );
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const port = options.port ?? (await freePort());
  const bin = join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'table', 'main.js');
  const args = [bin, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--skipApiVersionCheck', '--disableTelemetry', '--silent'];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(port),
      exited.then(() => {
        throw new Error(`Azurite exited early: ${stderr.trim()}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    port,
    connectionString: azuriteConnectionString(port),
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
