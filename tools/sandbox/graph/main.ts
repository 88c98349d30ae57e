/**
 * Runs the Graph sandbox on its own, for `npm run dev` and manual poking:
 *   GRAPH_SANDBOX_PORT (default 5001), GRAPH_SANDBOX_HOST (default 127.0.0.1),
 *   GRAPH_SANDBOX_LATENCY_MS, GRAPH_SANDBOX_THROTTLE_PER_SECOND,
 *   GRAPH_SANDBOX_CHAOS (a rate from 0 to 1, e.g. 0.2), GRAPH_SANDBOX_CHAOS_SEED,
 *   GRAPH_SANDBOX_TENANT_DOMAIN.
 * Prints the base URL to use as GRAPH_BASE_URL and stops cleanly on SIGINT/SIGTERM.
 */
import { startGraphSandbox, type GraphSandboxOptions } from './server';

export function sandboxOptionsFromEnv(env: NodeJS.ProcessEnv): GraphSandboxOptions {
  const options: GraphSandboxOptions = {
    host: env.GRAPH_SANDBOX_HOST || '127.0.0.1',
    port: number(env, 'GRAPH_SANDBOX_PORT') ?? 5001,
    latencyMs: number(env, 'GRAPH_SANDBOX_LATENCY_MS'),
    throttlePerSecond: number(env, 'GRAPH_SANDBOX_THROTTLE_PER_SECOND'),
  };
  if (env.GRAPH_SANDBOX_TENANT_DOMAIN) options.tenantDomain = env.GRAPH_SANDBOX_TENANT_DOMAIN;
  const rate = number(env, 'GRAPH_SANDBOX_CHAOS');
  if (rate !== undefined && rate > 0) {
    if (rate > 1) throw new Error(`GRAPH_SANDBOX_CHAOS must be a rate between 0 and 1, got ${rate}`);
    options.chaos = { rate, seed: number(env, 'GRAPH_SANDBOX_CHAOS_SEED') };
  }
  return options;
}

function number(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  const options = sandboxOptionsFromEnv(process.env);
  const sandbox = await startGraphSandbox(options);
  const extras = [
    options.latencyMs ? `latency ${options.latencyMs} ms` : '',
    options.throttlePerSecond ? `throttle ${options.throttlePerSecond}/s` : '',
    options.chaos ? `chaos ${options.chaos.rate} (seed ${options.chaos.seed ?? 1})` : '',
  ].filter(Boolean);
  console.log(`Graph sandbox listening on ${sandbox.baseUrl}${extras.length ? ` (${extras.join(', ')})` : ''}`);

  const shutdown = (signal: string): void => {
    console.log(`Graph sandbox stopping (${signal})`);
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`Graph sandbox failed to start: ${(error as Error).message}`);
    process.exit(1);
  });
}
