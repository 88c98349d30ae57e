/**
 * How the bot's heap grows. Two parts, because V8 reads them at different times.
 *
 * Old generation: after each full collection V8 sets the next heap limit at up to four times what
 * survived when a program allocates fast. A bot under load allocates fast (every HTTP call, every
 * card) but keeps little alive (40–90 MB with twenty flows in progress), so with V8's default it
 * reached 250 MB of RSS that was mostly garbage. With a growing factor of 1.6 the heap stays within
 * 1.6 × what is alive. Applied at run time (V8 reads the factor at every collection, and
 * NODE_OPTIONS may not carry this flag), unless the process was started with its own
 * --heap-growing-percent. This still acts on Node 24: old space peaked at 47–55 MB in the benchmark.
 *
 * Young generation (Node 24): V8 13 sizes the semi-spaces from the heap limit, up to 64 MB each,
 * where Node 20's V8 stopped at 16 MB. The new space is two semi-spaces, so under load it grew to
 * 128 MB of heap (32 MB on Node 20), nearly all of it garbage between scavenges. Measured with
 * `npm run bench -- --no-echo` (c=20, 200 flows), bot process on Node 24.21:
 *   V8 default (64 MB)        peak RSS 287 MB; heap total 214 MB, new space 128 MB, used 54 MB
 *   --max-semi-space-size=16  peak RSS MEAS16
 *   --max-semi-space-size=8   peak RSS MEAS8
 * The rest of the RSS is not the heap: ~59 MB of mapped files (the node binary, its ICU data) and
 * ~35 MB of malloc'd memory (RssFile / RssAnon in /proc/<pid>/status). 16 MB is Node 20's value, so
 * scavenges run as often as they did there. It bounds only the nursery: what survives is promoted
 * to the old generation, which still grows with the live set, so it cannot cause an out-of-memory
 * crash the way --max-old-space-size can.
 * V8 sizes the semi-spaces once, when the isolate is created: v8.setFlagsFromString at run time
 * leaves the new space at 128 MB (measured), so this flag must be on node's command line (or in
 * NODE_OPTIONS). HEAP_START_FLAGS is the list; every launcher of the server adds it (package.json
 * "start", the Dockerfile's CMD, tools/botProcess.ts, the benchmark's tools/bench/rig.ts) and
 * test/deploy keeps package.json and the Dockerfile in step with it.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 60;

/** The young generation's bound: each of its two semi-spaces (MB). */
export const MAX_SEMI_SPACE_MB = 8;

/** Node flags the server needs on its command line (V8 reads them only at start-up). */
export const HEAP_START_FLAGS: readonly string[] = [`--max-semi-space-size=${MAX_SEMI_SPACE_MB}`];

/** "--max_semi_space_size=8" → "max-semi-space-size": V8 accepts both spellings. */
function flagName(arg: string): string {
  return (arg.replace(/^--?/, '').split('=')[0] ?? '').replace(/_/g, '-');
}

/** Node arguments for a launcher: the start flags first, except those `execArgv` already sets (its own value wins). */
export function withHeapStartFlags(execArgv: readonly string[] = []): string[] {
  const given = new Set(execArgv.map(flagName));
  return [...HEAP_START_FLAGS.filter((flag) => !given.has(flagName(flag))), ...execArgv];
}

/** The start flags this process was started without (neither its command line nor NODE_OPTIONS sets them). */
export function missingHeapStartFlags(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)].map(flagName));
  return HEAP_START_FLAGS.filter((flag) => !given.has(flagName(flag)));
}

/** Applies the policy; returns the percent in force, or undefined if the command line set one. */
export function applyHeapPolicy(execArgv: readonly string[] = process.execArgv): number | undefined {
  if (execArgv.some((arg) => flagName(arg) === 'heap-growing-percent')) return undefined;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
