/**
 * The default scenario: many requesters and a few approvers at once. Each flow is what people do:
 * the requester types "request" (the form comes back) and submits the form (invoke); the approver,
 * once the approval card has reached their chat, clicks Approve (invoke); the flow is complete when
 * the redeem link has reached the requester's chat. `concurrency` flows are in progress at any time.
 *
 * The same load is then replayed against a bare botbuilder echo bot: the same three activities per
 * flow with the same pauses between them (the waits for the approval card and for the link that
 * each flow saw), so both bots see the same arrival pattern and the ratio of the p99s is fair.
 * Then against the floor bot, the echo bot with one durable write per invoke (tools/echoBot.ts):
 * what any bot that stores a decision before answering reaches here (--floor-writes 2: two writes
 * one after the other, the round trips of our submit).
 */
import { performance } from 'node:perf_hooks';
import { monotonicEpochMs } from '../sandbox/graph/state';
import type { ConnectorCall } from '../fakeConnector';
import type { ChildBot, HeapSample } from './childBot';
import { reportProfile, type ProfileSummary } from './cpuProfile';
import { CpuMeter, type CpuShare } from './cpuUsage';
import { countCallsPerStep, perFlowByKind, storageTotal, type CallsPerFlow } from './callCount';
import { BotDriver, runPool, sleep, type PoolResult } from './driver';
import { runEchoFlow, runOneFlow, type FlowSetup, type FlowTrace } from './flows';
import { atMost, formatTable, formatTargets, reported, SUMMARY_HEADER, summaryRow, type Target } from './report';
import type { Rig } from './rig';
import { bootstrapInterval, p99Of, round, summarize, type Interval, type Summary } from './stats';
import { STEPS } from './callCount';

export const KINDS = ['request', 'submitRequest', 'approve'] as const;

export interface BotRun {
  readonly latency: Record<string, Summary>;
  /** Each activity's answer time (ms) by kind, for the gate's bootstrap interval and later pooling. */
  readonly samples: Record<string, number[]>;
  readonly pool: PoolResult;
  readonly flowsPerSecond: number;
  readonly meanCallsInFlight: number;
  readonly startupMs: number;
  readonly readyMs?: number;
  readonly peakRssMb: number;
  readonly heapAtStart?: HeapSample;
  readonly heapAtEnd?: HeapSample;
  /** CPU used by each process during the measured flows. */
  readonly cpu: Record<string, CpuShare>;
}

export interface FlowScenarioReport {
  readonly scenario: 'flows';
  readonly settings: Record<string, unknown>;
  readonly ours: BotRun & {
    readonly timeToApprovalCard: Summary;
    readonly timeToLink: Summary;
    /** time-to-link split at the Graph sandbox: before the call arrives, Graph itself, after its answer. */
    readonly timeToLinkParts: Record<string, Summary>;
    readonly graph: Record<string, unknown>;
    readonly connectorCalls: Record<string, number>;
    /** Under the measured load: storage and connector calls over completed flows (background work included). */
    readonly callsPerFlowUnderLoad: { readonly storage: number | null; readonly connector: number };
    /** Flows run one at a time, calls given to the step they fall in (tools/bench/callCount.ts). */
    readonly callsPerFlow: CallsPerFlow;
    /** The same for a requester's first request (their chat reference, their limits row: once per person). */
    readonly callsOfFirstRequest: CallsPerFlow;
    /** Storage calls per flow under the load, by kind (the sweep's included). */
    readonly storageUnderLoadByKind: string;
  };
  readonly echo?: BotRun & { readonly connectorCallsPerMessage: number };
  /** The echo bot with one durable write per invoke (tools/echoBot.ts): the floor. */
  readonly floor?: BotRun & { readonly connectorCallsPerMessage: number };
  /** The floor bot's writes per invoke, one after another (--floor-writes). */
  readonly floorWrites?: number;
  readonly p99Ratio?: Record<string, number>;
  /** How far each run's own sampling moves the floor ratios (bootstrap, stats.ts). */
  readonly ratioIntervals?: { oursOverEcho: Interval; floorOverEcho?: Interval; oursOverFloor?: Interval };
  readonly targets: Target[];
  readonly profile?: ProfileSummary;
}

/** Resolves once the connector has had no new call for quietMs (or maxMs passed). */
export async function waitQuiet(calls: readonly ConnectorCall[], quietMs: number, maxMs: number): Promise<void> {
  const end = performance.now() + maxMs;
  let last = calls.length;
  let since = performance.now();
  while (performance.now() < end) {
    await sleep(50);
    if (calls.length !== last) {
      last = calls.length;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return;
  }
}

function countByOperation(calls: readonly ConnectorCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}

/** What one bot's measured run came to. */
function botRun(
  bot: ChildBot,
  driver: BotDriver,
  run: { pool: PoolResult; cpu: Record<string, CpuShare> },
  peakRssMb: number,
  heapAtStart: HeapSample | undefined,
  heapAtEnd: HeapSample | undefined,
): BotRun {
  const { pool, cpu } = run;
  return {
    latency: { ...driver.latency.summaries(), all: summarize(driver.latency.all()) },
    samples: driver.latency.values(),
    pool,
    flowsPerSecond: pool.completed / (pool.wallMs / 1000),
    meanCallsInFlight: driver.busyMs / pool.wallMs,
    startupMs: bot.startupMs,
    readyMs: bot.readyMs,
    peakRssMb,
    heapAtStart,
    heapAtEnd,
    cpu,
  };
}

/** Runs `flows` flows of `flow` after `warmup` untimed ones; returns the measured pool and CPU use. */
async function measure(
  bot: ChildBot,
  rig: Rig,
  deadline: number,
  flow: (index: number, measuring: boolean) => Promise<void>,
  beforeMeasuring?: () => Promise<void>,
): Promise<{ pool: PoolResult; cpu: Record<string, CpuShare> }> {
  const { options } = rig;
  if (options.warmup > 0) {
    const warm = await runPool(options.warmup, options.concurrency, (i) => flow(i, false), deadline, options.rampMs);
    rig.log(`flows: ${bot.label} warm-up: ${warm.completed}/${options.warmup} flows in ${Math.round(warm.wallMs)} ms`);
    await waitQuiet(rig.connector.calls, 300, 10_000);
  }
  await beforeMeasuring?.();
  const meter = new CpuMeter({ [bot.label]: bot.pid, azurite: rig.azurite.pid });
  const pool = await runPool(options.flows, options.concurrency, (i) => flow(i, true), deadline, options.rampMs);
  const cpu = meter.read();
  rig.log(`flows: ${bot.label}: ${pool.completed} completed, ${pool.failed} failed in ${Math.round(pool.wallMs)} ms`);
  return { pool, cpu };
}

/** Which of the bench's rounds this run is (`--rounds`): with more than one, the gate is decided on them pooled (flowRounds.ts). */
export interface Round {
  readonly index: number;
  readonly of: number;
}

export async function runFlowScenario(rig: Rig, deadline: number, inRound: Round = { index: 1, of: 1 }): Promise<FlowScenarioReport> {
  const { options, connector } = rig;
  const log =
    inRound.of > 1
      ? (line: string) => rig.log(line.replace(/^(\n?)(== )?flows:/, `$1$2flows, round ${inRound.index} of ${inRound.of}:`))
      : rig.log;
  const { flows, concurrency } = options;
  // The pacer opened: the sandbox does not throttle here, and the bench measures the bot, not the
  // chosen rate (the throttle scenario measures the pacer).
  const inviteConcurrency = options.inviteConcurrency ?? 200;
  const invitesPerSecond = options.invitesPerSecond ?? 1000;
  const linkTimeoutMs = Math.max(60_000, options.graphLatencyMs * 20);

  const graph = await rig.graphSandbox({ latencyMs: options.graphLatencyMs });
  const http = rig.httpClient(concurrency * 2);
  const index = rig.freshConnectorIndex();

  log(
    `flows: starting the bot (INVITE_CONCURRENCY=${inviteConcurrency}, INVITES_PER_SECOND=${invitesPerSecond}, Graph latency ${options.graphLatencyMs} ms)`,
  );
  const profileSince = Date.now();
  const bot = await rig.startBot('bot-flows', { graphBaseUrl: graph.baseUrl, inviteConcurrency, invitesPerSecond });
  log(
    `flows: bot pid ${bot.pid} healthy after ${Math.round(bot.startupMs)} ms; ${flows} flows at concurrency ${concurrency} after ${options.warmup} warm-up flows`,
  );
  const heapAtStart = await bot.heap();

  const traces: FlowTrace[] = [];
  const timeToCard: number[] = [];
  // Requesters are a pool of people who each ask about ten times in the run (within the default
  // daily limit of 20), so that most flows are by someone the bot has seen, as in an organisation.
  const requesterPool = Math.max(options.concurrency + 2, Math.ceil((flows + options.warmup) / 10));
  const setup: FlowSetup = { rig, index, linkTimeoutMs, tag: Date.now().toString(36), requesterPool };
  const driver = new BotDriver(bot.url, connector.url, http);
  const warmDriver = new BotDriver(bot.url, connector.url, http);
  let storageBefore: { total: number; byKind: Record<string, number> } | undefined;
  let connectorBefore = 0;
  const { pool, cpu } = await measure(
    bot,
    rig,
    deadline,
    async (i, measuring) => {
      const trace = await runOneFlow(setup, measuring ? driver : warmDriver, measuring ? i : flows + i, measuring ? 'g' : 'w');
      if (!measuring) return;
      timeToCard.push(trace.cardWaitMs);
      traces[i] = trace;
    },
    async () => {
      storageBefore = await storageTotal(bot);
      connectorBefore = connector.calls.length;
      await bot.ask({ type: 'inside', on: true });
    },
  );
  const inside = await bot.ask<{ storageMs: number[]; loopDelayMs: Record<string, number> }>({ type: 'inside', on: false });
  if (inside) {
    const s = summarize(inside.storageMs);
    log(
      `flows: inside the bot during the measured load: storage call p50 ${round(s.p50)} ms, p99 ${round(s.p99)} ms (${s.count} calls); event loop delay p50 ${round(inside.loopDelayMs.p50 ?? NaN)} ms, p99 ${round(inside.loopDelayMs.p99 ?? NaN)} ms, max ${round(inside.loopDelayMs.max ?? NaN)} ms`,
    );
  }
  await waitQuiet(connector.calls, 500, 15_000);
  const storageAfter = await storageTotal(bot);
  const connectorAfter = connector.calls.length;
  const stats = graph.state.stats();
  const connectorCalls = countByOperation(connector.calls);
  // Calls per flow by step: a few flows one at a time (after the load, so they do not disturb it):
  // new people's first requests, then the same people's second ones (seen before, and far from
  // their limits: the pending list's amortised status reads are in the under-load figure).
  const fresh = (k: number) => requesterPool + 1000 + k;
  const firstRequest = await countCallsPerStep({ ...setup, requesterPool: undefined }, bot, graph, http, options.quick ? 2 : 3, fresh, 'f');
  const counted = await countCallsPerStep({ ...setup, requesterPool: undefined }, bot, graph, http, options.quick ? 2 : 3, fresh, 'c');
  const heapAtEnd = await bot.heap();
  const ourMemory = bot.memory();
  const stopped = await bot.stop();
  if (stopped.forced) log('flows: the bot did not stop within 15 s and was killed');

  const profile = options.profile ? reportProfile(rig.profileDir, profileSince, log, 'flows') : undefined;

  // Where time-to-link goes, split at the sandbox (its times are monotonic epoch ms; align them).
  const offset = Date.now() - monotonicEpochMs();
  const createdByEmail = new Map(
    graph.state
      .invitations()
      .filter((c) => c.outcome === 'created')
      .map((c) => [String((c.body as { invitedUserEmailAddress?: unknown }).invitedUserEmailAddress), c]),
  );
  const beforeGraph: number[] = [];
  const inGraph: number[] = [];
  const afterGraph: number[] = [];
  const timeToLink: number[] = [];
  for (const trace of traces) {
    if (!trace) continue;
    timeToLink.push(trace.linkAt - trace.approveSentAt);
    const call = createdByEmail.get(trace.email);
    if (!call || call.answeredAtMs === null) continue;
    beforeGraph.push(call.arrivedAtMs + offset - trace.approveSentAt);
    inGraph.push(call.answeredAtMs - call.arrivedAtMs);
    afterGraph.push(trace.linkAt - (call.answeredAtMs + offset));
  }

  const ours: FlowScenarioReport['ours'] = {
    ...botRun(bot, driver, { pool, cpu }, ourMemory.peakRssMb, heapAtStart, heapAtEnd),
    timeToApprovalCard: summarize(timeToCard),
    timeToLink: summarize(timeToLink),
    timeToLinkParts: {
      'approve click → Graph call arrives': summarize(beforeGraph),
      'Graph call (sandbox latency)': summarize(inGraph),
      'Graph answer → link at connector': summarize(afterGraph),
    },
    graph: {
      invitationCalls: stats.calls,
      byStatus: stats.byStatus,
      invitationsCreated: stats.invitationsCreated,
      earlyRetries: stats.earlyRetries,
      duplicates: stats.duplicates,
    },
    connectorCalls,
    callsPerFlowUnderLoad: {
      storage:
        storageBefore !== undefined && storageAfter !== undefined && pool.completed
          ? (storageAfter.total - storageBefore.total) / pool.completed
          : null,
      connector: pool.completed ? (connectorAfter - connectorBefore) / pool.completed : NaN,
    },
    callsPerFlow: counted,
    callsOfFirstRequest: firstRequest,
    storageUnderLoadByKind:
      storageBefore && storageAfter && pool.completed ? perFlowByKind(storageBefore.byKind, storageAfter.byKind, pool.completed) : '',
  };

  // The baselines replay the same load: the same three activities per flow with the same pauses.
  const replay = async (label: string, floor: boolean): Promise<NonNullable<FlowScenarioReport['echo']>> => {
    connector.reset();
    index.reset();
    const baseline = await rig.startEchoBot(label, { floor, floorWrites: options.floorWrites });
    log(`flows: ${label} pid ${baseline.pid} healthy after ${Math.round(baseline.startupMs)} ms; replaying the same load`);
    const heapAtStartBaseline = await baseline.heap();
    const replayDriver = new BotDriver(baseline.url, connector.url, http);
    const replayWarmDriver = new BotDriver(baseline.url, connector.url, http);
    const run = await measure(baseline, rig, deadline, (i, measuring) =>
      runEchoFlow(
        rig,
        measuring ? replayDriver : replayWarmDriver,
        measuring ? i : flows + i,
        measuring ? traces[i] : undefined,
        requesterPool,
      ),
    );
    await waitQuiet(connector.calls, 300, 5_000);
    // The echo bot answers each message ("request") with one reply: one outbound call, like ours.
    const messages = replayDriver.latency.summaries().request?.count ?? 0;
    const answered = messages + (replayWarmDriver.latency.summaries().request?.count ?? 0);
    const heapAtEndBaseline = await baseline.heap();
    const memory = baseline.memory();
    await baseline.stop();
    return {
      ...botRun(baseline, replayDriver, run, memory.peakRssMb, heapAtStartBaseline, heapAtEndBaseline),
      connectorCallsPerMessage: answered ? connector.calls.length / answered : NaN,
    };
  };
  const echo = options.echo ? await replay('echo-bot', false) : undefined;
  // The floor bot: the echo bot with one durable write per invoke, the floor the issue names.
  const floor = options.echo && options.floor ? await replay('floor-bot', true) : undefined;

  const ratioIntervals = floorRatioIntervals(ours, echo, floor);
  const p99Ratio = echo
    ? Object.fromEntries([...KINDS, 'all'].map((kind) => [kind, (ours.latency[kind]?.p99 ?? NaN) / (echo.latency[kind]?.p99 ?? NaN)]))
    : undefined;

  const targets: Target[] = [
    atMost('flows completed without error', pool.failed, 0, 'failed', `${pool.completed}/${flows} completed`),
    atMost('duplicate invitations', stats.duplicates, 0, ''),
    atMost(`submitRequest invoke p99 (c=${concurrency}, Graph ${options.graphLatencyMs} ms)`, ours.latency.submitRequest?.p99, 250, 'ms'),
    atMost(`approve invoke p99 (c=${concurrency}, Graph ${options.graphLatencyMs} ms)`, ours.latency.approve?.p99, 250, 'ms'),
    // The floor (README, Performance): our worst invoke against a bare bot that answers each
    // message with one reply, at the same concurrency; the link against Graph's own latency.
    ...(echo
      ? [
          // With several rounds this round's gate figure is reported; the rounds pooled decide (flowRounds.ts).
          ...floorTargets(
            ours,
            echo,
            floor,
            ratioIntervals,
            inRound.of > 1
              ? { suffix: ' (this round)', decides: false, floorWrites: options.floorWrites }
              : { suffix: '', decides: true, floorWrites: options.floorWrites },
          ),
          // The echo bot's one-call activity (a message and its reply) against ours (an invoke and its
          // one durable write at the floor): its invokes answer from memory and make no call at all.
          reported(
            'worst invoke p99 / echo p99 of its messages',
            worstInvokeP99(ours) / (echo.latency.request?.p99 ?? NaN),
            '×',
            `each answered with one reply, one call, as each of our invokes makes at least one storage write; echo ${Math.round(echo.latency.request?.p99 ?? NaN)} ms`,
          ),
          reported('p99 ratio ours/echo: all activities (the old gate, ≤ 3)', p99Ratio?.all, '×'),
          ...KINDS.map((kind) =>
            reported(`p99 ratio ours/echo: ${kind}`, p99Ratio?.[kind], '×', `echo p99 ${Math.round(echo.latency[kind]?.p99 ?? NaN)} ms`),
          ),
        ]
      : []),
    atMost(
      'time-to-link p50 / Graph latency',
      options.graphLatencyMs > 0 ? ours.timeToLink.p50 / options.graphLatencyMs : undefined,
      1.1,
      '×',
      `p50 ${Math.round(ours.timeToLink.p50)} ms, Graph ${options.graphLatencyMs} ms`,
    ),
    atMost('time-to-link p50', ours.timeToLink.p50, options.graphLatencyMs + 200, 'ms', `p99 ${Math.round(ours.timeToLink.p99)} ms`),
    // Per complete flow: every call the bot made during the measured load over the flows completed,
    // sweeps, races and each requester's first request included (the requesters are a pool, as in
    // an organisation). The table of steps (flows one at a time) says where they go.
    atMost(
      'storage calls per complete flow',
      ours.callsPerFlowUnderLoad.storage ?? undefined,
      12,
      '',
      `under the load, all included; one at a time: a second request ${round(counted.storage)}, a first request ${round(ours.callsOfFirstRequest.storage)}`,
    ),
    atMost(
      'connector calls per complete flow',
      ours.callsPerFlowUnderLoad.connector,
      8,
      '',
      `under the load, all included; one at a time: ${round(counted.connector)}`,
    ),
    reported('time-to-link p99', ours.timeToLink.p99, 'ms'),
    reported('flows per second', ours.flowsPerSecond, '/s'),
    atMost(
      'peak RSS of the bot process (VmHWM)',
      ours.peakRssMb,
      200,
      'MB',
      heapAtEnd ? `heap used ${Math.round(heapAtEnd.heapUsedMb)} of ${Math.round(heapAtEnd.heapTotalMb)} MB at the end` : undefined,
    ),
    atMost(
      'start-up to healthy /healthz',
      ours.startupMs,
      2000,
      'ms',
      ours.readyMs ? `/readyz after ${Math.round(ours.readyMs)} ms` : undefined,
    ),
  ];

  const rows = [...KINDS, 'all'].map((kind) => summaryRow(`ours   ${kind}`, ours.latency[kind]));
  if (echo) rows.push(...[...KINDS, 'all'].map((kind) => summaryRow(`echo   ${kind}`, echo.latency[kind])));
  if (floor) rows.push(...[...KINDS, 'all'].map((kind) => summaryRow(`floor  ${kind}`, floor.latency[kind])));
  rows.push(summaryRow('time to approval card', ours.timeToApprovalCard), summaryRow('time-to-link (approve → link)', ours.timeToLink));
  for (const [part, summary] of Object.entries(ours.timeToLinkParts)) rows.push(summaryRow(`  ${part}`, summary));
  log(`\n== flows: HTTP latency by activity kind ==\n${formatTable(SUMMARY_HEADER, rows)}`);
  // One column per bot run: ours, and each baseline that ran (label: its process in the CPU meter).
  const columns: Array<{ name: string; run: BotRun; label: string }> = [
    { name: 'ours', run: ours, label: 'bot-flows' },
    ...(echo ? [{ name: 'echo', run: echo, label: 'echo-bot' }] : []),
    ...(floor ? [{ name: 'floor', run: floor, label: 'floor-bot' }] : []),
  ];
  const heap = (sample: HeapSample | undefined) => (sample ? `${Math.round(sample.rssMb)} / ${Math.round(sample.heapUsedMb)}` : '-');
  const row = (name: string, value: (run: BotRun, label: string) => string | number) => [
    name,
    ...columns.map((c) => value(c.run, c.label)),
  ];
  const cores = (which: string) => (run: BotRun, label: string) => run.cpu[which === 'bot' ? label : which]?.cores ?? '-';
  log(
    `\n${formatTable(
      ['', ...columns.map((c) => c.name)],
      [
        row('flows completed / failed', (run) => `${run.pool.completed} / ${run.pool.failed}`),
        row('flows per second', (run) => run.flowsPerSecond),
        row('mean HTTP calls in flight', (run) => run.meanCallsInFlight),
        row('start-up to healthy ms', (run) => run.startupMs),
        row('peak RSS MB (VmHWM)', (run) => run.peakRssMb),
        row('RSS / heap used MB at start', (run) => heap(run.heapAtStart)),
        row('RSS / heap used MB at end', (run) => heap(run.heapAtEnd)),
        row('CPU cores used: bot', cores('bot')),
        row('CPU cores used: azurite', cores('azurite')),
        row('CPU cores used: bench (driver, connector, Graph)', cores('bench')),
        row('CPU cores used: total of the above', cores('total')),
        row('CPU cores used: other processes on the machine', cores('others')),
      ],
    )}`,
  );
  log(`graph sandbox: ${JSON.stringify(ours.graph)}; connector calls: ${JSON.stringify(connectorCalls)}`);
  if (echo) log(`echo bot: ${round(echo.connectorCallsPerMessage)} connector calls per message it answered`);
  if (floor)
    log(`floor bot: ${round(floor.connectorCallsPerMessage)} connector calls per message it answered, one storage write per invoke`);
  log(`\n${formatCallsPerFlow(counted)}`);
  log(`\n${formatCallsPerFlow(ours.callsOfFirstRequest, "new requesters' first requests")}`);
  log(`storage calls per flow under the load, by kind (sweeps and races included): ${ours.storageUnderLoadByKind || 'n/a'}`);
  if (pool.errors.length) log(`errors:\n  ${pool.errors.join('\n  ')}`);
  log(`\n${formatTargets(targets)}`);

  return {
    scenario: 'flows',
    settings: {
      flows,
      concurrency,
      graphLatencyMs: options.graphLatencyMs,
      approvers: rig.approvers.length,
      requesters: flows,
      warmupFlows: options.warmup,
      inviteConcurrency,
      invitesPerSecond,
      sweepIntervalSeconds: options.sweepSeconds,
      logLevel: options.logLevel,
      profile: options.profile,
    },
    ours,
    echo,
    floor,
    ...(floor ? { floorWrites: options.floorWrites } : {}),
    p99Ratio,
    ratioIntervals,
    targets,
    profile,
  };
}

/** The slower of our two invokes (submit, approve) at p99. */
export function worstInvokeP99(run: Pick<BotRun, 'latency'>): number {
  return Math.max(run.latency.submitRequest?.p99 ?? NaN, run.latency.approve?.p99 ?? NaN);
}

/** Our worst invoke p99 over the echo bot's p99 across all its activities (its messages each carry one reply). */
export function worstInvokeRatio(ours: Pick<BotRun, 'latency'>, echo: Pick<BotRun, 'latency'>): number {
  return worstInvokeP99(ours) / (echo.latency.all?.p99 ?? NaN);
}

const invokeSamples = (run: Pick<BotRun, 'samples'>) => [run.samples.submitRequest ?? [], run.samples.approve ?? []];
const worstOf = (submits: readonly number[] = [], approves: readonly number[] = []) => Math.max(p99Of(submits), p99Of(approves));

/** How far the run's own sampling moves worstInvokeRatio: each bot's samples drawn again (stats.ts). */
export function worstInvokeRatioInterval(ours: Pick<BotRun, 'samples'>, echo: Pick<BotRun, 'samples'>): Interval {
  const echoAll = KINDS.flatMap((kind) => echo.samples[kind] ?? []);
  return bootstrapInterval([...invokeSamples(ours), echoAll], ([s, a, e]) => worstOf(s, a) / p99Of(e ?? []));
}

/** The same for one bot's worst invoke p99 over another's. */
export function worstInvokeOverWorstInterval(ours: Pick<BotRun, 'samples'>, other: Pick<BotRun, 'samples'>): Interval {
  return bootstrapInterval([...invokeSamples(ours), ...invokeSamples(other)], ([s, a, os, oa]) => worstOf(s, a) / worstOf(os, oa));
}

/** The bootstrap intervals of the floor ratios: ours and the floor bot over the echo bot, ours over the floor bot. */
export function floorRatioIntervals(
  ours: Pick<BotRun, 'samples'>,
  echo: Pick<BotRun, 'samples'> | undefined,
  floor: Pick<BotRun, 'samples'> | undefined,
): FlowScenarioReport['ratioIntervals'] {
  if (!echo) return undefined;
  const oursOverEcho = worstInvokeRatioInterval(ours, echo);
  if (!floor) return { oursOverEcho };
  return { oursOverEcho, floorOverEcho: worstInvokeRatioInterval(floor, echo), oursOverFloor: worstInvokeOverWorstInterval(ours, floor) };
}

/**
 * The floor gate (our worst invoke over the echo bot, README Performance) and the floor bot's two
 * ratios beside it, each with its bootstrap interval: for one round, or for the rounds pooled
 * (flowRounds.ts). The gate's verdict counts only where `decides`; elsewhere it is reported.
 */
export function floorTargets(
  ours: Pick<BotRun, 'latency'>,
  echo: Pick<BotRun, 'latency'>,
  floor: Pick<BotRun, 'latency'> | undefined,
  intervals: FlowScenarioReport['ratioIntervals'],
  { suffix, decides, floorWrites = 1 }: { suffix: string; decides: boolean; floorWrites?: number },
): Target[] {
  const floorBot = floorWrites === 1 ? 'one durable write per invoke' : `${floorWrites} durable writes per invoke, one after another`;
  const ms = (value: number) => `${Math.round(value)} ms`;
  const gate = 'worst invoke p99 / echo bot p99' + suffix;
  const gateNote = `ours ${ms(worstInvokeP99(ours))}, echo ${ms(echo.latency.all?.p99 ?? NaN)} over its ${echo.latency.all?.count ?? 0} activities; ${formatInterval(intervals?.oursOverEcho)}`;
  return [
    decides ? atMost(gate, worstInvokeRatio(ours, echo), 1.5, '×', gateNote) : reported(gate, worstInvokeRatio(ours, echo), '×', gateNote),
    // What the floor alone reaches against the gate, and how far above the floor we are.
    ...(floor
      ? [
          reported(
            'floor bot worst invoke p99 / echo bot p99' + suffix,
            worstInvokeRatio(floor, echo),
            '×',
            `the echo bot with ${floorBot}: floor ${ms(worstInvokeP99(floor))}; ${formatInterval(intervals?.floorOverEcho)}`,
          ),
          reported(
            'worst invoke p99 / floor bot worst invoke p99' + suffix,
            worstInvokeP99(ours) / worstInvokeP99(floor),
            '×',
            `ours ${ms(worstInvokeP99(ours))}, floor ${ms(worstInvokeP99(floor))}; ${formatInterval(intervals?.oursOverFloor)}`,
          ),
        ]
      : []),
  ];
}

/** "90% of resamples 1.42–2.31 ×" */
export function formatInterval(interval: Interval | undefined, unit = '×'): string {
  if (!interval) return 'no interval';
  return `${Math.round(interval.level * 100)}% of resamples ${round(interval.low)}–${round(interval.high)} ${unit}`;
}

/** The per-step table: mean calls per flow, and what they were. */
export function formatCallsPerFlow(counted: CallsPerFlow, whose = "the same people's second requests"): string {
  const rows = counted.steps.map((s) => [
    s.step,
    s.storage,
    s.connector,
    Object.entries(s.detail)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${round(v)} ${k}`)
      .join(', ') || '-',
  ]);
  rows.push(['total per complete flow', counted.storage, counted.connector, 'targets: ≤ 12 storage, ≤ 8 connector']);
  rows.push([
    '  of which request store',
    counted.requestStore,
    '',
    'Requests, RequestIndex, $batch (the sweep lease, chats, teams excluded)',
  ]);
  return [
    `== flows: calls per complete flow by step (${whose}; ${counted.flows} flows one at a time; calls given to the step whose time window they fall in: ${STEPS.join(' → ')}; an approximation, see tools/bench/callCount.ts) ==`,
    formatTable(['step', 'storage', 'connector', 'what (per flow)'], rows),
  ].join('\n');
}
