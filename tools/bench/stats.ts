/** Latency samples and their percentiles (nearest-rank), for the benchmark's tables. */

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
