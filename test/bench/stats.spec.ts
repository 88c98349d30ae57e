/**
 * The benchmark's statistics: the bootstrap interval printed beside the floor gates (README,
 * Performance). Pure: no bot, no I/O.
 */
import { strict as assert } from 'node:assert';
import { worstInvokeOverWorstInterval, worstInvokeRatio, worstInvokeRatioInterval, type BotRun } from '../../tools/bench/flowScenario';
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
});
