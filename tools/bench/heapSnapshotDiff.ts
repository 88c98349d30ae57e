/**
 * What grew between two V8 heap snapshots (`v8.writeHeapSnapshot`, each taken after a full
 * collection, so only what is reachable): objects counted and their own sizes summed per kind
 * ("object Foo", "closure bar", "string", …), and the kinds that grew most. For the soak: when the
 * resident set creeps, this says whether anything the program holds grows, and what.
 */
import { readFileSync } from 'node:fs';

export interface KindTotal {
  readonly kind: string;
  readonly count: number;
  readonly bytes: number;
}

export interface KindGrowth {
  readonly kind: string;
  readonly countBefore: number;
  readonly countAfter: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

interface SnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Strings and numbers are grouped by type alone (their names are their contents). */
const BY_TYPE_ONLY = new Set(['string', 'concatenated string', 'sliced string', 'number', 'heap number']);

/** Objects per kind in one snapshot file. */
export function kindsIn(file: string): Map<string, KindTotal> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as SnapshotFile;
  const fields = parsed.snapshot.meta.node_fields;
  const types = parsed.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const kinds = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < parsed.nodes.length; i += width) {
    const type = types[parsed.nodes[i + typeAt] as number] ?? 'unknown';
    const kind = BY_TYPE_ONLY.has(type) ? type : `${type} ${parsed.strings[parsed.nodes[i + nameAt] as number] ?? ''}`.slice(0, 90);
    const total = kinds.get(kind) ?? { count: 0, bytes: 0 };
    total.count++;
    total.bytes += parsed.nodes[i + sizeAt] as number;
    kinds.set(kind, total);
  }
  return new Map([...kinds].map(([kind, t]) => [kind, { kind, ...t }]));
}

/** The `top` kinds whose total own size grew most from `before` to `after`. */
export function growth(before: Map<string, KindTotal>, after: Map<string, KindTotal>, top = 15): KindGrowth[] {
  const kinds = new Set([...before.keys(), ...after.keys()]);
  return [...kinds]
    .map((kind) => ({
      kind,
      countBefore: before.get(kind)?.count ?? 0,
      countAfter: after.get(kind)?.count ?? 0,
      bytesBefore: before.get(kind)?.bytes ?? 0,
      bytesAfter: after.get(kind)?.bytes ?? 0,
    }))
    .sort((a, b) => b.bytesAfter - b.bytesBefore - (a.bytesAfter - a.bytesBefore))
    .slice(0, top);
}

/** Total own size of every object in a snapshot (bytes). */
export function totalBytes(kinds: Map<string, KindTotal>): number {
  let sum = 0;
  for (const k of kinds.values()) sum += k.bytes;
  return sum;
}
