/**
 * The benchmark's statistics: the bootstrap interval printed beside the floor gates, and the gate
 * decided on the flow scenario's rounds pooled (README, Performance). Pure: no bot, no I/O.
 */
import { strict as assert } from 'node:assert';
import { poolFlowRounds } from '../../tools/bench/flowRounds';
import { parseBenchOptions } from '../../tools/bench/options';
import {
  worstInvokeOverWorstInterval,
  worstInvokeRatio,
  worstInvokeRatioInterval,
  type BotRun,
  type FlowScenarioReport,
} from '../../tools/bench/flowScenario';
import { mulberry32 } from '../../tools/sandbox/graph/faults';
import { bootstrapInterval, p99Of, summarize } from '../../tools/bench/stats';

/** n latencies with a long tail (exponential around `base`), the same for the same seed. */
function latencies(n: number, base: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => base * (1 - Math.log(1 - random())));
}

function run(samples: Record<string, number[]>): Pick<BotRun, 'samples' | 'latency'> {
  return {
    samples,
    latency: {
      ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])),
      all: summarize(Object.values(samples).flat()),
    },
  };
}

describe('bench statistics: the bootstrap interval of a p99 ratio', () => {
  it('collapses onto the ratio when the samples do not vary', () => {
    const interval = bootstrapInterval([Array(200).fill(30), Array(600).fill(15)], ([a, b]) => p99Of(a ?? []) / p99Of(b ?? []));
    assert.deepEqual(interval, { low: 2, high: 2, level: 0.9 });
  });

  it('is the same for the same seed, and holds the estimate from the samples themselves', () => {
    const ours = latencies(200, 8, 1);
    const echo = latencies(600, 5, 2);
    const ratio = ([a, b]: readonly (readonly number[])[]) => p99Of(a ?? []) / p99Of(b ?? []);
    const first = bootstrapInterval([ours, echo], ratio, { seed: 7 });
    assert.deepEqual(bootstrapInterval([ours, echo], ratio, { seed: 7 }), first);
    const estimate = ratio([ours, echo]);
    assert.ok(first.low <= estimate && estimate <= first.high, `${estimate} in ${JSON.stringify(first)}`);
    assert.ok(first.low < first.high);
  });

  it('narrows as the samples grow: a p99 of 200 samples moves far more than one of 5000', () => {
    const width = (n: number) => {
      const interval = bootstrapInterval([latencies(n, 8, 3)], ([a]) => p99Of(a ?? []), { rounds: 500 });
      return interval.high - interval.low;
    };
    assert.ok(width(200) > 2 * width(5000), `${width(200)} vs ${width(5000)}`);
  });

  it("resamples each bot's own samples: our worst invoke over the echo bot's activities, and over another bot's worst invoke", () => {
    const ours = run({ request: Array(200).fill(9), submitRequest: Array(200).fill(30), approve: Array(200).fill(20) });
    const echo = run({ request: Array(200).fill(15), submitRequest: Array(200).fill(2), approve: Array(200).fill(2) });
    // The echo bot's p99 over all its activities: its messages (15 ms) are the slowest third.
    assert.equal(worstInvokeRatio(ours, echo), 2);
    assert.deepEqual(worstInvokeRatioInterval(ours, echo), { low: 2, high: 2, level: 0.9 });
    const floor = run({ request: Array(200).fill(15), submitRequest: Array(200).fill(10), approve: Array(200).fill(12) });
    assert.deepEqual(worstInvokeOverWorstInterval(ours, floor), { low: 2.5, high: 2.5, level: 0.9 });
  });

  it("decides the gate on the rounds' samples together: a round that passes alone does not pass the pooled gate", () => {
    const fill = (n: number, ms: number) => Array<number>(n).fill(ms);
    const round = (ours: [number, number], echoMessage: number) =>
      ({
        ours: run({ request: fill(200, 5), submitRequest: fill(200, ours[0]), approve: fill(200, ours[1]) }),
        echo: run({ request: fill(200, echoMessage), submitRequest: fill(200, 2), approve: fill(200, 2) }),
        floor: run({ request: fill(200, echoMessage), submitRequest: fill(200, 6), approve: fill(200, 8) }),
      }) as unknown as FlowScenarioReport;
    const lines: string[] = [];
    // Alone, the second round is 1.2 ×; with the first (2 ×) its submits' slowest are the first's.
    const report = poolFlowRounds([round([30, 20], 15), round([12, 12], 10)], (line) => lines.push(line));
    assert.equal(report.rounds, 2);
    assert.equal(report.ours.submitRequest?.count, 400);
    assert.equal(report.echo?.all?.count, 1200);
    const gate = report.targets.find((t) => t.name.startsWith('worst invoke p99 / echo bot p99'));
    assert.deepEqual([gate?.value, gate?.verdict], [2, 'FAIL']);
    assert.match(gate?.note ?? '', /90% of resamples/);
    assert.equal(report.targets.find((t) => t.name.startsWith('worst invoke p99 / floor bot'))?.value, 3.75);
    assert.ok(lines.some((line) => line.includes('2 rounds pooled')));
    // `npm run bench` runs three rounds; a quick smoke run one.
    assert.deepEqual(
      [parseBenchOptions([]).rounds, parseBenchOptions(['--quick']).rounds, parseBenchOptions(['--rounds', '5']).rounds],
      [3, 1, 5],
    );
  });

  it('names the floor bot by its writes per invoke (--floor-writes), in a round and in the rounds pooled', () => {
    const fill = (n: number, ms: number) => Array<number>(n).fill(ms);
    const report = {
      ours: run({ request: fill(200, 5), submitRequest: fill(200, 20), approve: fill(200, 15) }),
      echo: run({ request: fill(200, 10), submitRequest: fill(200, 2), approve: fill(200, 2) }),
      floor: run({ request: fill(200, 10), submitRequest: fill(200, 9), approve: fill(200, 9) }),
      floorWrites: 2,
    } as unknown as FlowScenarioReport;
    const note = (r: { targets: readonly { name: string; note?: string }[] }) =>
      r.targets.find((t) => t.name.startsWith('floor bot worst invoke p99 / echo bot p99'))?.note ?? '';
    assert.match(
      note(poolFlowRounds([report, report], () => undefined)),
      /the echo bot with 2 durable writes per invoke, one after another: floor 9 ms/,
    );
    const single = { ...report, floorWrites: undefined } as unknown as FlowScenarioReport;
    assert.match(note(poolFlowRounds([single], () => undefined)), /the echo bot with one durable write per invoke: floor 9 ms/);
    assert.deepEqual([parseBenchOptions([]).floorWrites, parseBenchOptions(['--floor-writes', '2']).floorWrites], [1, 2]);
    assert.throws(() => parseBenchOptions(['--floor-writes', '0']), /--floor-writes must be a whole number from 1 to 5/);
  });
});
