/**
 * `npm run bench`: load and latency figures for the bot on this machine, with PASS/FAIL against
 * the targets. Starts Azurite, the Graph sandbox, a fake Bot Connector and the bot (a child
 * process), drives Teams-shaped traffic over HTTP, prints tables and writes JSON to build/bench/.
 * Everything it starts is stopped by PID on the way out, also on Ctrl-C and on its own time limit.
 *
 *   npm run bench                       200 flows at concurrency 20, Graph 1.5 s, plus the echo-bot baseline (3 rounds)
 *   npm run bench -- --throttle 5       300 approvals against Graph accepting 5 invitations/s
 *   npm run bench -- --requests 10000   "pending" / "my requests" with 10 000 stored requests
 *   npm run bench -- --capacity         flows/s and invoke p99 at concurrency 10, 20, 40, 80 (one bot, then two)
 *   npm run bench -- --soak [MINUTES]   steady flows for 30 min (or MINUTES), RSS slope after warm-up
 *   npm run bench -- --quick            a small smoke run; --help lists every option
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { waitForQuietMachine } from '../bench/cpuUsage';
import { runCapacityScenario } from '../bench/capacityScenario';
import { poolFlowRounds } from '../bench/flowRounds';
import { runFlowScenario, type FlowScenarioReport } from '../bench/flowScenario';
import { parseBenchOptions, type BenchOptions } from '../bench/options';
import { runQueryScenario } from '../bench/queryScenario';
import { writeReport, type Target } from '../bench/report';
import { Cleanup, startRig } from '../bench/rig';
import { runSoakScenario } from '../bench/soakScenario';
import { runThrottleScenario } from '../bench/throttleScenario';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The commit measured, and whether the working tree had changes (figures belong to a version). */
function codeVersion(): { commit?: string; dirty?: boolean } {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: join(__dirname, '..', '..', '..'),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return {};
  }
}

async function main(options: BenchOptions, cleanup: Cleanup): Promise<number> {
  const outDir = options.outDir ?? join(__dirname, '..', '..', 'bench');
  const deadline = performance.now() + options.timeoutSeconds * 1000 - 30_000;
  log(`bench: node ${process.version}, ${cpus().length} CPUs; reports in ${outDir}`);
  const rig = await startRig(options, outDir, cleanup, log);
  const verdicts: Target[] = [];
  const scenarios: Array<[name: string, run: () => Promise<{ targets: Target[] }>]> = [];
  if (options.scenarios.flows) {
    // Rounds one after another, each with its own report; the floor gate on them pooled (flowRounds.ts).
    const rounds: FlowScenarioReport[] = [];
    for (let index = 1; index <= options.rounds; index++) {
      scenarios.push([
        'flows',
        async () => {
          const report = await runFlowScenario(rig, deadline, { index, of: options.rounds });
          rounds.push(report);
          return report;
        },
      ]);
    }
    if (options.rounds > 1) scenarios.push(['flows-pooled', async () => poolFlowRounds(rounds, log)]);
  }
  if (options.scenarios.throttle) scenarios.push(['throttle', () => runThrottleScenario(rig, deadline)]);
  if (options.scenarios.requests) scenarios.push(['requests', () => runQueryScenario(rig, deadline)]);
  if (options.scenarios.capacity) scenarios.push(['capacity', () => runCapacityScenario(rig, deadline)]);
  if (options.scenarios.soak) scenarios.push(['soak', () => runSoakScenario(rig, deadline)]);
  for (const [name, run] of scenarios) {
    const busyBefore = await waitForQuietMachine(options.quietWaitSeconds * 1000, 0.3, log);
    const report = await run();
    verdicts.push(...report.targets);
    const machine = {
      cpus: cpus().length,
      node: process.version,
      busyCoresBeforeStart: busyBefore,
      loadAverage: loadavg(),
      code: codeVersion(),
    };
    log(
      `${name}: load average after the scenario ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (1, 5, 15 min; 2 cores shared)`,
    );
    log(`report: ${writeReport(outDir, name, { ...report, machine })}`);
  }
  const failed = verdicts.filter((t) => t.verdict === 'FAIL');
  log(
    `\nbench: ${verdicts.filter((t) => t.verdict === 'PASS').length} PASS, ${failed.length} FAIL${failed.length ? `: ${failed.map((t) => t.name).join('; ')}` : ''}`,
  );
  return failed.length > 0 ? 1 : 0;
}

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}

const cleanup = new Cleanup();
let finishing = false;
const finish = async (code: number, why?: string) => {
  if (finishing) return;
  finishing = true;
  if (why) process.stderr.write(`bench: ${why}\n`);
  await cleanup.run((line) => process.stderr.write(`${line}\n`));
  process.exit(code);
};
const watchdog = setTimeout(
  () => void finish(3, `time limit of ${options.timeoutSeconds} s reached; stopping everything`),
  options.timeoutSeconds * 1000,
);
watchdog.unref();
process.on('SIGINT', () => void finish(130, 'interrupted'));
process.on('SIGTERM', () => void finish(143, 'terminated'));

main(options, cleanup).then(
  (code) => finish(code),
  (err: unknown) => finish(1, err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
