/**
 * `npm run bench -- --soak [MINUTES]`: memory over time. Complete flows start at a steady, modest
 * rate (--soak-rate, default 2 per second) for MINUTES (default 30); the bot process's resident
 * set (VmRSS) is sampled every 10 s, and the slope of a least-squares line through the samples
 * after the warm-up (the first 20 % of the run) is the figure: MB per minute, target < 0.1.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChildBot } from './childBot';
import { BotDriver, sleep } from './driver';
import { runOneFlow, type FlowSetup } from './flows';
import { growth, kindsIn, totalBytes, type KindGrowth } from './heapSnapshotDiff';
import { atMost, formatTable, formatTargets, reported, type Target } from './report';
import type { Rig } from './rig';

export const SOAK_SAMPLE_MS = 10_000;
export const SOAK_TARGET_MB_PER_MIN = 0.1;
const WARMUP_SHARE = 0.2;
/** Failed flows, none completed, after which the soak stops (see `broken`). */
const BROKEN_AFTER_FAILURES = 20;

export interface RssSample {
  /** Minutes since the soak started. */
  readonly minute: number;
  readonly rssMb: number;
  readonly heapUsedMb?: number;
  /** What V8 holds for the heap, used or not, and memory outside it (Buffers): where RSS growth is, when heap used is flat. */
  readonly heapTotalMb?: number;
  readonly externalMb?: number;
  /** V8's heap spaces (old_space, code_space, …): committed and used MiB. */
  readonly spaces?: ReadonlyArray<{ readonly name: string; readonly sizeMb: number; readonly usedMb: number }>;
}

/** Slope of the least-squares line through (x, y) points; NaN with fewer than two distinct x. */
export function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((t, [x]) => t + x, 0) / n;
  const my = points.reduce((t, [, y]) => t + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

export interface SoakReport {
  readonly scenario: 'soak';
  readonly settings: Record<string, unknown>;
  readonly samples: RssSample[];
  readonly flowsStarted: number;
  readonly flowsCompleted: number;
  readonly flowsFailed: number;
  readonly errors: string[];
  /** MB per minute after the warm-up. */
  readonly slopeMbPerMinute: number;
  readonly heapSlopeMbPerMinute: number;
  /** With --heap-snapshots: the kinds of objects that grew most between the two snapshots. */
  readonly heapGrowth?: KindGrowth[];
  readonly loadAverage: number[];
  readonly targets: Target[];
}

/** `toy` shortens the run and the sampling for the smoke test (never for a measurement). */
export async function runSoakScenario(
  rig: Rig,
  deadline: number,
  toy?: { readonly minutes: number; readonly sampleMs: number },
): Promise<SoakReport> {
  const { options, connector, log } = rig;
  const minutes = toy?.minutes ?? options.soakMinutes;
  const sampleMs = toy?.sampleMs ?? SOAK_SAMPLE_MS;
  const rate = options.soakFlowsPerSecond;
  const graph = await rig.graphSandbox({ latencyMs: options.graphLatencyMs });
  const http = rig.httpClient(64);
  const index = rig.freshConnectorIndex();
  const bot = await rig.startBot('bot-soak', {
    graphBaseUrl: graph.baseUrl,
    inviteConcurrency: options.inviteConcurrency ?? 200,
    invitesPerSecond: options.invitesPerSecond ?? 1000,
  });
  // An organisation's people, each asking about fifteen times in the run (within the default daily
  // limit of 20): as in the flow scenario, most flows are by someone the bot has seen, and what it
  // remembers per person stays what a real deployment holds, not one entry per flow.
  const requesterPool = Math.max(200, Math.ceil((rate * minutes * 60) / 15));
  const setup: FlowSetup = {
    rig,
    index,
    linkTimeoutMs: Math.max(60_000, options.graphLatencyMs * 20),
    tag: Date.now().toString(36),
    requesterPool,
  };
  const driver = new BotDriver(bot.url, connector.url, http);
  log(`soak: bot pid ${bot.pid}; ${rate} flows/s for ${minutes} min, RSS every ${sampleMs / 1000} s`);

  const started = performance.now();
  const end = Math.min(started + minutes * 60_000, deadline);
  const samples: RssSample[] = [];
  const errors: string[] = [];
  let flowsStarted = 0;
  let completed = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  // A bot that completes none of its first flows is broken, not leaking: the soak stops instead of
  // measuring an idle process for half an hour (and its slope is then no verdict).
  const broken = () => completed === 0 && failed >= BROKEN_AFTER_FAILURES;

  const snapshots: { before?: string; after?: string } | undefined = options.heapSnapshots ? {} : undefined;
  // A snapshot is taken with no flow in progress: the bot stands still for seconds while V8 writes
  // it (calls in flight would pass their deadlines), and what is left then is what the bot keeps.
  let holding = false;
  const snapshot = async (of: ChildBot, name: string): Promise<string | undefined> => {
    holding = true;
    await Promise.race([Promise.all(inFlight), sleep(60_000)]);
    const asked = join(rig.outDir, `soak-${setup.tag}-${name}.heapsnapshot`);
    const answer = await of.ask<{ file?: string }>({ type: 'heapSnapshot', file: asked }, 120_000);
    log(`soak: heap snapshot ${answer?.file ?? 'not written'}`);
    holding = false;
    return answer?.file;
  };
  const sampler = (async () => {
    while (performance.now() < end && !broken()) {
      const rss = bot.rssMb();
      const heap = await bot.heap();
      if (rss !== undefined)
        samples.push({
          minute: (performance.now() - started) / 60_000,
          rssMb: rss,
          heapUsedMb: heap?.heapUsedMb,
          heapTotalMb: heap?.heapTotalMb,
          externalMb: heap?.externalMb,
          spaces: heap?.spaces,
        });
      const minute = (performance.now() - started) / 60_000;
      if (snapshots && !snapshots.before && minute >= minutes * WARMUP_SHARE) snapshots.before = await snapshot(bot, 'after-warm-up');
      if (snapshots && !snapshots.after && end - performance.now() < 2 * sampleMs) snapshots.after = await snapshot(bot, 'near-end');
      await sleep(Math.min(sampleMs, end - performance.now()));
    }
  })();

  // Open loop: a flow starts every 1/rate s whatever the others are doing (bounded, so a stuck bot
  // cannot pile up thousands of waiting flows).
  const interval = 1000 / rate;
  let nextAt = started;
  while (performance.now() < end && !broken()) {
    if (holding) nextAt = performance.now();
    else if (inFlight.size < 200) {
      const n = flowsStarted++;
      // Requesters rotate through the pool so the per-person limits (10 pending, 20 a day) never bite.
      const p = runOneFlow(setup, driver, 1_000_000 + n, 's').then(
        () => {
          completed++;
        },
        (err: unknown) => {
          failed++;
          if (errors.length < 10) errors.push(`#${n}: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    // Forget what the connector recorded once in a while: the bench, not the bot, would grow.
    if (inFlight.size === 0 && connector.calls.length > 50_000) {
      connector.reset();
      index.reset();
    }
    nextAt += interval;
    await sleep(nextAt - performance.now());
  }
  await sampler;
  await Promise.race([Promise.all(inFlight), sleep(60_000)]);
  await bot.stop();

  const afterWarmup = samples.filter((s) => s.minute >= minutes * WARMUP_SHARE);
  const slope = leastSquaresSlope(afterWarmup.map((s) => [s.minute, s.rssMb]));
  const slopeOf = (key: 'heapUsedMb' | 'heapTotalMb' | 'externalMb') =>
    leastSquaresSlope(afterWarmup.flatMap((s) => (s[key] === undefined ? [] : [[s.minute, s[key]] as const])));
  const heapSlope = slopeOf('heapUsedMb');
  const load = loadavg();
  log(
    `\n== soak: RSS of the bot process every ${sampleMs / 1000} s (${rate} flows/s, Graph ${options.graphLatencyMs} ms) ==\n${formatTable(
      ['minute', 'RSS MB', 'heap used MB', 'heap total MB', 'external MB', ''],
      samples.map((s) => [
        s.minute,
        s.rssMb,
        s.heapUsedMb ?? '-',
        s.heapTotalMb ?? '-',
        s.externalMb ?? '-',
        s.minute < minutes * WARMUP_SHARE ? 'warm-up' : '',
      ]),
    )}`,
  );
  log(
    `soak: ${completed} flows completed, ${failed} failed of ${flowsStarted} started; load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
  );
  if (errors.length) log(`errors:\n  ${errors.join('\n  ')}`);
  if (broken()) log(`soak: stopped: the first ${failed} flows all failed`);
  const targets: Target[] = [
    atMost('soak: flows completed without error', failed, 0, 'failed', `${completed}/${flowsStarted}`),
    // Heap snapshots pause the bot and raise its RSS: such a run diagnoses, it does not measure.
    snapshots
      ? reported(`soak: RSS slope after warm-up (${minutes} min, with heap snapshots)`, slope, 'MB/min')
      : atMost(
          `soak: RSS slope after warm-up (${minutes} min)`,
          completed > 0 ? slope : undefined,
          SOAK_TARGET_MB_PER_MIN,
          'MB/min',
          `${afterWarmup.length} samples${minutes < 30 ? '; a short soak says little' : ''}`,
        ),
    reported('soak: heap used slope after warm-up', heapSlope, 'MB/min'),
    reported('soak: heap total slope after warm-up', slopeOf('heapTotalMb'), 'MB/min'),
    reported('soak: external memory slope after warm-up', slopeOf('externalMb'), 'MB/min'),
  ];
  log(
    `soak: RSS slope after the warm-up ${slope.toFixed(3)} MB/min (least squares over ${afterWarmup.length} samples; heap used ${heapSlope.toFixed(3)} MB/min); target < ${SOAK_TARGET_MB_PER_MIN}`,
  );
  log(spacesTable(afterWarmup));
  const heapGrowth = snapshots ? snapshotGrowth(snapshots, log) : undefined;
  log(`\n${formatTargets(targets)}`);
  return {
    scenario: 'soak',
    settings: { minutes, flowsPerSecond: rate, sampleMs, warmupShare: WARMUP_SHARE, graphLatencyMs: options.graphLatencyMs },
    samples,
    flowsStarted,
    flowsCompleted: completed,
    flowsFailed: failed,
    errors,
    slopeMbPerMinute: slope,
    heapSlopeMbPerMinute: heapSlope,
    heapGrowth,
    loadAverage: load,
    targets,
  };
}

/** Committed and used size of each V8 heap space at the first and last sample after the warm-up, and their slopes. */
function spacesTable(afterWarmup: readonly RssSample[]): string {
  const first = afterWarmup.find((s) => s.spaces)?.spaces ?? [];
  const last = [...afterWarmup].reverse().find((s) => s.spaces)?.spaces ?? [];
  const slope = (name: string, key: 'sizeMb' | 'usedMb') =>
    leastSquaresSlope(
      afterWarmup.flatMap((s) => {
        const space = s.spaces?.find((x) => x.name === name);
        return space ? [[s.minute, space[key]] as const] : [];
      }),
    );
  return `\n== soak: V8 heap spaces after the warm-up (committed = what RSS pays for) ==\n${formatTable(
    ['space', 'committed MB first', 'last', 'slope MB/min', 'used MB first', 'last', 'slope MB/min'],
    first.map((f) => {
      const l = last.find((x) => x.name === f.name);
      return [f.name, f.sizeMb, l?.sizeMb ?? '-', slope(f.name, 'sizeMb'), f.usedMb, l?.usedMb ?? '-', slope(f.name, 'usedMb')];
    }),
  )}`;
}

/** What the program held more of near the end than after the warm-up (both after a full collection), logged. */
function snapshotGrowth(snapshots: { before?: string; after?: string }, log: (line: string) => void): KindGrowth[] | undefined {
  if (!snapshots.before || !snapshots.after) {
    log('soak: heap snapshots: not both written, no comparison');
    return undefined;
  }
  const before = kindsIn(snapshots.before);
  const after = kindsIn(snapshots.after);
  const mb = (bytes: number) => bytes / (1024 * 1024);
  const grew = growth(before, after);
  log(
    `\n== soak: reachable objects after the warm-up and near the end (heap snapshots; ${mb(totalBytes(before)).toFixed(1)} → ${mb(totalBytes(after)).toFixed(1)} MB) ==\n${formatTable(
      ['kind', 'count before', 'after', 'MB before', 'after', 'grew KB'],
      grew.map((g) => [g.kind, g.countBefore, g.countAfter, mb(g.bytesBefore), mb(g.bytesAfter), (g.bytesAfter - g.bytesBefore) / 1024]),
    )}\nsoak: the snapshots paused the bot and raised its RSS: this run's slope is not a measurement`,
  );
  return grew;
}
