/** Tables for the terminal, targets with PASS/FAIL, and the JSON report on disk. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { round, type Summary } from './stats';

export interface Target {
  readonly name: string;
  /** The measured figure (rounded), or null when it could not be measured. */
  readonly value: number | null;
  readonly limit?: number;
  readonly unit: string;
  /** PASS / FAIL, or REPORTED for figures without a threshold. */
  readonly verdict: 'PASS' | 'FAIL' | 'REPORTED';
  readonly note?: string;
}

export function atMost(name: string, value: number | undefined, limit: number, unit: string, note?: string): Target {
  const measured = value === undefined || !Number.isFinite(value) ? null : round(value);
  return { name, value: measured, limit: round(limit), unit, verdict: measured !== null && value! <= limit ? 'PASS' : 'FAIL', note };
}

export function reported(name: string, value: number | undefined, unit: string, note?: string): Target {
  return { name, value: value === undefined || !Number.isFinite(value) ? null : round(value), unit, verdict: 'REPORTED', note };
}

export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => (typeof cell === 'number' ? String(round(cell)) : cell)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(cells[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function summaryRow(name: string, s: Summary | undefined): (string | number)[] {
  if (!s) return [name, 0, '-', '-', '-', '-', '-'];
  return [name, s.count, s.p50, s.p95, s.p99, s.max, s.mean];
}

export const SUMMARY_HEADER = ['', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms'] as const;

export function formatTargets(targets: readonly Target[]): string {
  return formatTable(
    ['target', 'measured', 'limit', 'verdict'],
    targets.map((t) => [
      t.name,
      t.value === null ? 'n/a' : `${t.value} ${t.unit}`,
      t.limit === undefined ? '' : `${t.limit} ${t.unit}`,
      t.verdict + (t.note ? `  (${t.note})` : ''),
    ]),
  );
}

/** Rounds every number in a report for the JSON file. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return round(value);
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

/** Writes <dir>/<name>-<timestamp>.json and <dir>/<name>-latest.json; returns the first path. */
export function writeReport(dir: string, name: string, report: unknown): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const text = `${JSON.stringify(rounded(report), null, 2)}\n`;
  const path = join(dir, `${name}-${stamp}.json`);
  writeFileSync(path, text);
  writeFileSync(join(dir, `${name}-latest.json`), text);
  return path;
}
