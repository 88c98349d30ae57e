/**
 * The bot as the benchmark runs it: tools/botProcess.ts's child entry (the production server on
 * loopback) plus one storage pipeline policy that counts every Azure Tables HTTP request (one per
 * call, before retries; an entity-group transaction is one). The parent asks over IPC:
 *   { type: 'memory' }        → process.memoryUsage() and V8's heap spaces (committed and used, each)
 *   { type: 'heapSnapshot', file } → writes a heap snapshot to file (a full collection first; seconds)
 *   { type: 'storageCalls' }  → the running total and counts by "METHOD table" (table without prefix)
 *   { type: 'storageTrace', on: boolean } → starts recording each call's time (epoch ms), or stops
 *                               and answers with what was recorded (bounded; for the per-step count)
 * Counting is a counter and a small map, so it costs nothing a benchmark could see.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import type { TableClientExtras } from '../../src/adapters/storage/tableClients';
import { runServer } from '../../src/runServer';

type PipelinePolicy = NonNullable<TableClientExtras['additionalPolicies']>[number]['policy'];

export interface StorageCall {
  readonly at: number;
  readonly method: string;
  readonly table: string;
}

const TRACE_LIMIT = 100_000;
const prefix = process.env.STORAGE_TABLE_PREFIX ?? '';
let total = 0;
const byKind = new Map<string, number>();
let trace: StorageCall[] | undefined;
// Diagnostics for the invoke-latency gate: how long each storage call took inside the bot (sent to
// answered, retries included), and how late the event loop ran. Recorded only while the flow
// scenario measures (a soak never asks, and a list growing for an hour is what it would find).
const LATENCY_LIMIT = 200_000;
let latencies: number[] | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

/** "Requests" for ".../devstoreaccount1/benchxRequests(PartitionKey='…')", "$batch" for a transaction. */
function tableOf(url: string): string {
  const last = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '').replace(/\(.*$/, '');
  return last.startsWith(prefix) ? last.slice(prefix.length) : last;
}

const counting: PipelinePolicy = {
  name: 'benchStorageCounter',
  sendRequest: (request, next) => {
    total++;
    const table = tableOf(request.url);
    const key = `${request.method} ${table}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
    if (trace && trace.length < TRACE_LIMIT) trace.push({ at: Date.now(), method: request.method, table });
    const started = performance.now();
    const done = (): void => {
      if (latencies && latencies.length < LATENCY_LIMIT) latencies.push(performance.now() - started);
    };
    const sent = next(request);
    sent.then(done, done);
    return sent;
  },
};

if (require.main === module) {
  runServer(process.env, {
    host: '127.0.0.1',
    overrides: { storageClientOptions: { additionalPolicies: [{ policy: counting, position: 'perCall' }] } },
  })
    .then(({ shutdown }) => {
      if (!process.send) return;
      process.on('message', (message: unknown) => {
        const m = message as { type?: unknown; on?: unknown; file?: unknown } | null;
        if (m?.type === 'memory') {
          const spaces = getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size }));
          process.send?.({ type: 'memory', usage: process.memoryUsage(), spaces });
        }
        if (m?.type === 'heapSnapshot' && typeof m.file === 'string')
          process.send?.({ type: 'heapSnapshot', file: writeHeapSnapshot(m.file) });
        if (m?.type === 'storageCalls') process.send?.({ type: 'storageCalls', total, byKind: Object.fromEntries(byKind) });
        if (m?.type === 'inside') {
          const inside = {
            storageMs: latencies ?? [],
            loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
          };
          latencies = m.on === true ? [] : undefined;
          if (m.on === true) loopDelay.reset();
          process.send?.({ type: 'inside', ...inside });
        }
        if (m?.type === 'storageTrace') {
          const recorded = trace ?? [];
          trace = m.on === true ? [] : undefined;
          process.send?.({ type: 'storageTrace', calls: recorded });
        }
      });
      process.on('disconnect', () => shutdown('parent gone'));
    })
    .catch((err: unknown) => {
      process.stderr.write(`fatal: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
