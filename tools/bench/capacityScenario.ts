/**
 * `npm run bench -- --capacity`: sustained complete flows per second at each concurrency step
 * (10, 20, 40, 80 by default), Graph unthrottled and the invitation pacer opened, with the worst
 * invoke p99 per step against the gate of the flow scenario (≤ 1.5 × the echo bot's p99 at the same
 * concurrency, the echo bot replaying the same pauses). The highest step within the gate is
 * marked. Then the same with two bot processes on one storage account (one table prefix), the
 * approve of each flow going to the other process.
 */
import { loadavg } from 'node:os';
import { ConnectorIndex } from './connectorIndex';
import { CpuMeter } from './cpuUsage';
import { BotDriver, runPool } from './driver';
import { waitQuiet, worstInvokeP99 } from './flowScenario';
import { runEchoFlow, runOneFlow, type FlowSetup, type FlowTrace } from './flows';
import { formatTable, formatTargets, reported, type Target } from './report';
import { freshTablePrefix, type Rig } from './rig';
import { summarize } from './stats';

export const CAPACITY_GATE = 1.5;

export interface CapacityStep {
  readonly concurrency: number;
  readonly flows: number;
  readonly completed: number;
  readonly failed: number;
  readonly flowsPerSecond: number;
  readonly submitP99: number;
  readonly approveP99: number;
  readonly worstInvokeP99: number;
  readonly echoP99: number;
  readonly ratio: number;
  readonly withinGate: boolean;
  readonly timeToLinkP50: number;
  /** CPU cores used by the bot process(es) and by Azurite during the step. */
  readonly botCores: number;
  readonly azuriteCores: number;
  readonly loadAverage1m: number;
}

export interface CapacityReport {
  readonly scenario: 'capacity';
  readonly settings: Record<string, unknown>;
  readonly oneProcess: CapacityStep[];
  readonly twoProcesses: CapacityStep[];
  readonly errors: string[];
  readonly targets: Target[];
}

function flowsFor(rig: Rig, concurrency: number): number {
  return Math.max(concurrency * (rig.options.quick ? 2 : 5), rig.options.quick ? 4 : 50);
}

export async function runCapacityScenario(rig: Rig, deadline: number): Promise<CapacityReport> {
  const { options, connector, log } = rig;
  const inviteConcurrency = options.inviteConcurrency ?? 200;
  const invitesPerSecond = options.invitesPerSecond ?? 1000;
  const graph = await rig.graphSandbox({ latencyMs: options.graphLatencyMs });
  const maxConcurrency = Math.max(...options.capacitySteps);
  const http = rig.httpClient(maxConcurrency * 2);
  const index = new ConnectorIndex(connector);
  const errors: string[] = [];
  let run = 0;

  // The echo bot's p99 at each step, replaying the pauses our flows saw at that step.
  const echoP99 = new Map<number, number>();
  const echoBot = options.echo ? await rig.startEchoBot('echo-capacity') : undefined;

  const steps = async (label: string, urls: readonly string[], pids: Record<string, number>): Promise<CapacityStep[]> => {
    const out: CapacityStep[] = [];
    for (const concurrency of options.capacitySteps) {
      run++;
      connector.reset();
      index.reset();
      const flows = flowsFor(rig, concurrency);
      const setup: FlowSetup = {
        rig,
        index,
        linkTimeoutMs: Math.max(60_000, options.graphLatencyMs * 20),
        tag: `${Date.now().toString(36)}k${run}`,
        instances: urls.length,
      };
      // Each step its own people (limits per requester stay out of the way), warm-up first.
      const base = run * 100_000;
      const warmDriver = new BotDriver(urls, connector.url, http);
      await runPool(
        Math.min(concurrency, flows),
        concurrency,
        (i) => runOneFlow(setup, warmDriver, base + 50_000 + i, 'w').then(() => undefined),
        deadline,
        options.rampMs,
      );
      await waitQuiet(connector.calls, 300, 10_000);
      const driver = new BotDriver(urls, connector.url, http);
      const traces: FlowTrace[] = [];
      const meter = new CpuMeter({ ...pids, azurite: rig.azurite.pid });
      const pool = await runPool(
        flows,
        concurrency,
        async (i) => {
          traces[i] = await runOneFlow(setup, driver, base + i, 'm');
        },
        deadline,
        options.rampMs,
      );
      const cpu = meter.read();
      errors.push(...pool.errors.map((e) => `${label} c=${concurrency}: ${e}`));
      const latency = driver.latency.summaries();
      const worst = worstInvokeP99({ latency });
      if (echoBot && !echoP99.has(concurrency)) {
        const echoDriver = new BotDriver(echoBot.url, connector.url, http);
        await runPool(flows, concurrency, (i) => runEchoFlow(rig, echoDriver, i, traces[i]), deadline, options.rampMs);
        echoP99.set(concurrency, summarize(echoDriver.latency.all()).p99);
      }
      const echo = echoP99.get(concurrency) ?? NaN;
      const botCores = Object.keys(pids).reduce((t, name) => t + (cpu[name]?.cores ?? 0), 0);
      const step: CapacityStep = {
        concurrency,
        flows,
        completed: pool.completed,
        failed: pool.failed,
        flowsPerSecond: pool.completed / (pool.wallMs / 1000),
        submitP99: latency.submitRequest?.p99 ?? NaN,
        approveP99: latency.approve?.p99 ?? NaN,
        worstInvokeP99: worst,
        echoP99: echo,
        ratio: worst / echo,
        withinGate: pool.failed === 0 && worst / echo <= CAPACITY_GATE,
        timeToLinkP50: summarize(traces.filter(Boolean).map((t) => t.linkAt - t.approveSentAt)).p50,
        botCores,
        azuriteCores: cpu.azurite?.cores ?? NaN,
        loadAverage1m: loadavg()[0] ?? NaN,
      };
      log(
        `capacity: ${label} c=${concurrency}: ${step.completed}/${flows} flows, ${step.flowsPerSecond.toFixed(1)}/s, worst invoke p99 ${Math.round(worst)} ms (echo ${Math.round(echo)} ms), load ${step.loadAverage1m.toFixed(2)}`,
      );
      out.push(step);
    }
    return out;
  };

  const env = { graphBaseUrl: graph.baseUrl, inviteConcurrency, invitesPerSecond };
  const single = await rig.startBot('bot-capacity', env);
  const oneProcess = await steps('one process', [single.url], { 'bot-capacity': single.pid });
  await single.stop();

  const tablePrefix = freshTablePrefix();
  const [a, b] = await Promise.all([
    rig.startBot('bot-capacity-a', { ...env, tablePrefix }),
    rig.startBot('bot-capacity-b', { ...env, tablePrefix }),
  ]);
  const twoProcesses = await steps('two processes', [a.url, b.url], { 'bot-capacity-a': a.pid, 'bot-capacity-b': b.pid });
  await Promise.all([a.stop(), b.stop(), echoBot?.stop()]);

  const best = (rows: CapacityStep[]) => rows.filter((r) => r.withinGate).sort((x, y) => y.concurrency - x.concurrency)[0];
  const table = (title: string, rows: CapacityStep[]) => {
    const top = best(rows);
    return `\n== capacity: ${title} (Graph ${options.graphLatencyMs} ms, unthrottled; gate: worst invoke p99 ≤ ${CAPACITY_GATE} × echo p99 at the same concurrency) ==\n${formatTable(
      [
        'concurrency',
        'flows',
        'failed',
        'flows/s',
        'submit p99 ms',
        'approve p99 ms',
        'echo p99 ms',
        'ratio',
        'link p50 ms',
        'bot cores',
        'azurite cores',
        'load 1m',
        '',
      ],
      rows.map((r) => [
        String(r.concurrency),
        String(r.completed),
        String(r.failed),
        r.flowsPerSecond,
        r.submitP99,
        r.approveP99,
        r.echoP99,
        r.ratio,
        r.timeToLinkP50,
        r.botCores,
        r.azuriteCores,
        r.loadAverage1m,
        r === top ? '← highest within the gate' : r.withinGate ? 'within' : 'over',
      ]),
    )}`;
  };
  log(table('one bot process', oneProcess));
  log(table('two bot processes, one storage account', twoProcesses));
  if (errors.length) log(`errors:\n  ${errors.slice(0, 10).join('\n  ')}`);

  const targets: Target[] = [
    reported(
      'capacity, one process: highest concurrency within the gate',
      best(oneProcess)?.concurrency,
      'flows in progress',
      best(oneProcess) ? `${best(oneProcess)!.flowsPerSecond.toFixed(1)} flows/s` : 'no step within the gate',
    ),
    reported(
      'capacity, two processes: highest concurrency within the gate',
      best(twoProcesses)?.concurrency,
      'flows in progress',
      best(twoProcesses) ? `${best(twoProcesses)!.flowsPerSecond.toFixed(1)} flows/s` : 'no step within the gate',
    ),
  ];
  log(`\n${formatTargets(targets)}`);
  return {
    scenario: 'capacity',
    settings: {
      steps: options.capacitySteps,
      graphLatencyMs: options.graphLatencyMs,
      inviteConcurrency,
      invitesPerSecond,
      approvers: rig.approvers.length,
    },
    oneProcess,
    twoProcesses,
    errors,
    targets,
  };
}
