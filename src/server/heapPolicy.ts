/**
 * How the bot's heap grows. Two parts, because V8 reads them at different times.
 *
 * Old generation: after each full collection V8 sets the next heap limit at up to four times what
 * survived when a program allocates fast. A bot under load allocates fast (every HTTP call, every
 * card) but keeps little alive (40–90 MB with twenty flows in progress), so with V8's default it
 * reached 250 MB of RSS that was mostly garbage. With a growing factor of 1.6 the heap stays within
 * 1.6 × what is alive. Applied at run time (V8 reads the factor at every collection, and
 * NODE_OPTIONS may not carry this flag), unless the process was started with its own
 * --heap-growing-percent. This still acts on Node 24 (test/deploy/heapPolicy.spec.ts).
 *
 * Young generation (Node 24): V8 13 sizes the semi-spaces from the heap limit, up to 64 MB each,
 * where Node 20's V8 stopped at 16 MB. The new space is two semi-spaces, so under load it grew to
 * 128 MB of heap (32 MB on Node 20), nearly all of it garbage between scavenges. Measured with
 * `npm run bench -- --no-echo` (c=20, 200 flows, Graph 1.5 s; bot on Node 24.21; several runs each,
 * taken in turn on the shared 2-core machine, so the p99s carry its noise):
 *   semi-space    peak RSS      heap total   submit / approve p99     bot CPU (cores)
 *   64 (default)  284–287 MB    211–214 MB   382–527 / 155–464 ms     0.42–0.51
 *   16            206–215 MB    114–117 MB   183–269 / 84–139 ms      0.45–0.55
 *    8            191–197 MB     98–100 MB   129–373 / 78–293 ms      0.43–0.59
 * The rest of the RSS is not the heap: ~59 MB of mapped files (the node binary, its ICU data) and
 * ~35 MB of malloc'd memory (RssFile / RssAnon in /proc/<pid>/status; MALLOC_ARENA_MAX=2 saved
 * only 6 MB of it). Old space stays at 47–64 MB either way. 8 MB is what Node 20 itself picks for
 * a memory limit of 2 GB or less; scavenges run more often, and the benchmark shows no cost in CPU
 * or latency. It bounds only the nursery: what survives is promoted to the old generation, which
 * still grows with the live set, so it cannot cause an out-of-memory crash the way
 * --max-old-space-size can.
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
