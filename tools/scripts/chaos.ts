/**
 * `npm run chaos`: many request flows against two bot processes while Graph misbehaves at random
 * and one process is SIGKILLed and restarted at random; then the fault scenarios (storage frozen,
 * Teams hanging, Graph hanging) with their recovery times. Prints the figures; exits 0 only when
 * nothing was lost, doubled or left stuck, no requester got a link message twice, and every
 * scenario recovered.
 *
 *   CHAOS_SCENARIOS: "none", "default" (storage frozen 30 s, Teams hanging 20 s, Graph hanging 30 s;
 *   about three minutes in all) or "long" (storage frozen 30 s, Teams hanging 60 s, Graph hanging 150 s).
 *
 *   CHAOS_FLOWS (40), CHAOS_SEED (42), CHAOS_FAULT_RATE (0.25), CHAOS_KILL_EVERY_MS (5000),
 *   CHAOS_SECONDS (170): the run's hard time bound, CHAOS_LEASE_SECONDS (20): the bots' LEASE_SECONDS. CHAOS_VERBOSE=1 prints kills and retries.
 */
import { startAzurite } from '../azurite';
import { DEFAULT_SCENARIOS, runChaos, type ScenarioSpec } from '../chaos/runChaos';

const LONG_SCENARIOS: readonly ScenarioSpec[] = [
  { kind: 'storageFrozen', seconds: 30 },
  { kind: 'connectorHangs', seconds: 60 },
  { kind: 'graphHangs', seconds: 150 },
];

function scenarios(): readonly ScenarioSpec[] {
  const choice = process.env.CHAOS_SCENARIOS ?? 'default';
  if (choice === 'none') return [];
  if (choice === 'long') return LONG_SCENARIOS;
  if (choice === 'default') return DEFAULT_SCENARIOS;
  throw new Error(`CHAOS_SCENARIOS must be none, default or long, not ${choice}`);
}

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
      scenarios: scenarios(),
      // The storage process is ours: SIGSTOP / SIGCONT by its PID.
      freezeStorage: azurite.pid === undefined ? undefined : (frozen) => process.kill(azurite.pid!, frozen ? 'SIGSTOP' : 'SIGCONT'),
      log: process.env.CHAOS_VERBOSE ? (line) => process.stdout.write(`${line}\n`) : undefined,
    });
    const { problems, recovery, ...numbers } = figures;
    for (const [key, value] of Object.entries(numbers)) process.stdout.write(`${key.padEnd(16)} ${value}\n`);
    for (const [name, seconds] of Object.entries(recovery))
      process.stdout.write(`recovery: ${name.padEnd(22)} ${seconds === null ? 'NOT recovered' : `${seconds} s`}\n`);
    for (const problem of problems.slice(0, 50)) process.stdout.write(`  ${problem}\n`);
    const recovered = Object.values(recovery).every((seconds) => seconds !== null);
    const ok = figures.lost === 0 && figures.duplicated === 0 && figures.stuck === 0 && figures.repeatedLinks === 0 && recovered;
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
