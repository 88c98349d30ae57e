/**
 * The flow scenario's rounds pooled (`--rounds`, README Performance). One round's p99 over 200
 * samples is its second-largest, and the echo bot's was 8–17 ms in rounds minutes apart on this
 * shared machine; so the floor gate is decided on every round's samples together: each round runs
 * ours, then the echo bot and the floor bot on the same load, and the rounds follow each other, so
 * the baselines and ours meet the machine's drift alike.
 */
import { floorRatioIntervals, floorTargets, KINDS, type BotRun, type FlowScenarioReport } from './flowScenario';
import { formatTable, formatTargets, SUMMARY_HEADER, summaryRow, type Target } from './report';
import { summarize, type Summary } from './stats';

/** One bot's samples across the rounds, by kind, with their summaries. */
type Pooled = Pick<BotRun, 'samples' | 'latency'>;

export interface PooledFlowReport {
  readonly scenario: 'flows-pooled';
  readonly rounds: number;
  readonly ours: Record<string, Summary>;
  readonly echo?: Record<string, Summary>;
  readonly floor?: Record<string, Summary>;
  readonly ratioIntervals: FlowScenarioReport['ratioIntervals'];
  readonly targets: Target[];
}

function pooled(runs: ReadonlyArray<Pick<BotRun, 'samples'>>): Pooled {
  const samples: Record<string, number[]> = {};
  for (const run of runs) for (const [kind, values] of Object.entries(run.samples)) (samples[kind] ??= []).push(...values);
  const latency: Record<string, Summary> = Object.fromEntries(Object.entries(samples).map(([kind, values]) => [kind, summarize(values)]));
  latency.all = summarize(KINDS.flatMap((kind) => samples[kind] ?? []));
  return { samples, latency };
}

/** The floor gate and its reported neighbours on the rounds' samples together. */
export function poolFlowRounds(reports: readonly FlowScenarioReport[], log: (line: string) => void): PooledFlowReport {
  const ours = pooled(reports.map((r) => r.ours));
  const echoes = reports.flatMap((r) => (r.echo ? [r.echo] : []));
  const floors = reports.flatMap((r) => (r.floor ? [r.floor] : []));
  const echo = echoes.length === reports.length ? pooled(echoes) : undefined;
  const floor = echo && floors.length === reports.length ? pooled(floors) : undefined;
  const n = reports.length;
  const ratioIntervals = floorRatioIntervals(ours, echo, floor);
  const floorWrites = reports[0]?.floorWrites;
  const targets: Target[] = echo
    ? floorTargets(ours, echo, floor, ratioIntervals, {
        suffix: ` (${n} rounds pooled)`,
        decides: true,
        ...(floorWrites ? { floorWrites } : {}),
      })
    : [];
  const rows = [...KINDS, 'all'].flatMap((kind) => [
    summaryRow(`ours   ${kind}`, ours.latency[kind]),
    ...(echo ? [summaryRow(`echo   ${kind}`, echo.latency[kind])] : []),
    ...(floor ? [summaryRow(`floor  ${kind}`, floor.latency[kind])] : []),
  ]);
  log(`\n== flows: ${n} rounds pooled: HTTP latency by activity kind ==\n${formatTable(SUMMARY_HEADER, rows)}`);
  log(`\n${formatTargets(targets)}`);
  return { scenario: 'flows-pooled', rounds: n, ours: ours.latency, echo: echo?.latency, floor: floor?.latency, ratioIntervals, targets };
}
