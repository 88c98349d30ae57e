/**
 * `npm run chaos`: many request flows against two bot processes while Graph misbehaves at random
 * and one process is SIGKILLed and restarted at random. Prints the figures; exits 0 only when
 * nothing was lost, doubled or left stuck.
 *
 *   CHAOS_FLOWS (40), CHAOS_SEED (42), CHAOS_FAULT_RATE (0.25), CHAOS_KILL_EVERY_MS (5000),
 *   CHAOS_SECONDS (170): the run's hard time bound, CHAOS_LEASE_SECONDS (20): the bots' LEASE_SECONDS. CHAOS_VERBOSE=1 prints kills and retries.
 */
import { startAzurite } from '../azurite';
import { runChaos } from '../chaos/runChaos';

function numberFrom(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isFinite(value) ? value : fallback;
}

async function main(): Promise<number> {
  const azurite = await startAzurite();
  try {
    const flows = numberFrom('CHAOS_FLOWS', 40);
    const seed = numberFrom('CHAOS_SEED', 42);
    process.stdout.write(`chaos: ${flows} flows, 2 bot processes, seed ${seed}\n`);
    const figures = await runChaos({
      storageConnectionString: azurite.connectionString,
      flows,
      seed,
      graphFaultRate: numberFrom('CHAOS_FAULT_RATE', 0.25),
      killEveryMs: numberFrom('CHAOS_KILL_EVERY_MS', 5000),
      leaseSeconds: numberFrom('CHAOS_LEASE_SECONDS', 20),
      deadlineMs: numberFrom('CHAOS_SECONDS', 170) * 1000,
      log: process.env.CHAOS_VERBOSE ? (line) => process.stdout.write(`${line}\n`) : undefined,
    });
    const { problems, ...numbers } = figures;
    for (const [key, value] of Object.entries(numbers)) process.stdout.write(`${key.padEnd(14)} ${value}\n`);
    for (const problem of problems.slice(0, 50)) process.stdout.write(`  ${problem}\n`);
    const ok = figures.lost === 0 && figures.duplicated === 0 && figures.stuck === 0;
    process.stdout.write(ok ? 'chaos: OK\n' : 'chaos: FAILED\n');
    return ok ? 0 : 1;
  } finally {
    await azurite.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
