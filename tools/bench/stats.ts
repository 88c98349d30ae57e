/** Latency samples and their percentiles (nearest-rank), for the benchmark's tables. */
import { mulberry32 } from '../sandbox/graph/faults';

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p% of samples at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, v) => total + v, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Named groups of samples (one per activity kind, say). */
export class Samples {
  private readonly groups = new Map<string, number[]>();

  add(name: string, value: number): void {
    let list = this.groups.get(name);
    if (!list) this.groups.set(name, (list = []));
    list.push(value);
  }

  all(): number[] {
    return [...this.groups.values()].flat();
  }

  /** Every group's samples, rounded to 0.01 (for a JSON report). */
  values(): Record<string, number[]> {
    return Object.fromEntries([...this.groups].map(([name, values]) => [name, values.map((v) => Math.round(v * 100) / 100)]));
  }

  summaries(): Record<string, Summary> {
    return Object.fromEntries([...this.groups].map(([name, values]) => [name, summarize(values)]));
  }
}

/** Rounds for display and JSON: whole numbers from 100, one decimal from 10, two below. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value);
  if (abs >= 10) return Math.round(value * 10) / 10;
  return Math.round(value * 100) / 100;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
  /** The share of resamples between low and high, e.g. 0.9. */
  readonly level: number;
}

/**
 * Percentile bootstrap interval of a statistic over independent groups of samples: each round draws
 * every group again, with replacement and at its own size, and computes the statistic on the draws.
 * A p99 over 200 samples is their second-largest, so one slow sample moves it; the interval says how
 * far the run's own sampling moves a figure built on it (README, Performance).
 */
export function bootstrapInterval(
  groups: readonly (readonly number[])[],
  statistic: (groups: readonly (readonly number[])[]) => number,
  options: { rounds?: number; level?: number; seed?: number } = {},
): Interval {
  const { rounds = 2000, level = 0.9, seed = 1 } = options;
  const random = mulberry32(seed);
  const values: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const drawn = groups.map((group) => Array.from(group, () => group[Math.floor(random() * group.length)] as number));
    const value = statistic(drawn);
    if (Number.isFinite(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  const tail = ((1 - level) / 2) * 100;
  return { low: percentile(values, tail), high: percentile(values, 100 - tail), level };
}

/** The p99 (nearest rank) of unsorted samples. */
export function p99Of(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    99,
  );
}
