/**
 * The flow scenario's rounds pooled (`--rounds`, README Performance). One round's p99 over 200
 * samples is its second-largest, and the echo bot's was 8–17 ms in rounds minutes apart on this
 * shared machine; so the floor gate is decided on every round's samples together: each round runs
 * ours, then the echo bot and the floor bot on the same load, and the rounds follow each other, so
 * the baselines and ours meet the machine's drift alike.
 */
import {
  floorRatioIntervals,
  formatInterval,
  KINDS,
  worstInvokeP99,
  worstInvokeRatio,
  type BotRun,
  type FlowScenarioReport,
} from './flowScenario';
import { atMost, formatTable, formatTargets, reported, SUMMARY_HEADER, summaryRow, type Target } from './report';
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

export function pooled(runs: ReadonlyArray<Pick<BotRun, 'samples'>>): Pooled {
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
  const ms = (value: number) => `${Math.round(value)} ms`;
  const targets: Target[] = echo
    ? [
        atMost(
          `worst invoke p99 / echo bot p99 (${n} rounds pooled)`,
          worstInvokeRatio(ours, echo),
          1.5,
          '×',
          `ours ${ms(worstInvokeP99(ours))}, echo ${ms(echo.latency.all?.p99 ?? NaN)} over ${echo.latency.all?.count ?? 0} activities; ${formatInterval(ratioIntervals?.oursOverEcho)}`,
        ),
        ...(floor
          ? [
              reported(
                `floor bot worst invoke p99 / echo bot p99 (${n} rounds pooled)`,
                worstInvokeRatio(floor, echo),
                '×',
                `floor ${ms(worstInvokeP99(floor))}; ${formatInterval(ratioIntervals?.floorOverEcho)}`,
              ),
              reported(
                `worst invoke p99 / floor bot worst invoke p99 (${n} rounds pooled)`,
                worstInvokeP99(ours) / worstInvokeP99(floor),
                '×',
                formatInterval(ratioIntervals?.oursOverFloor),
              ),
            ]
          : []),
      ]
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
