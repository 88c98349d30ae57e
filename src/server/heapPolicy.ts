/**
 * How the bot's heap grows. After each full collection V8 sets the next heap limit at up to four
 * times what survived when a program allocates fast. A bot under load allocates fast (every HTTP
 * call, every card) but keeps little alive (40–90 MB with twenty flows in progress), so with V8's
 * default it reached 250 MB of RSS that was mostly garbage. With a growing factor of 1.6 the heap
 * stays within 1.6 × what is alive. It is not a cap: the heap still grows with the live set, so a
 * burst never ends in an out-of-memory crash the way --max-old-space-size can. The price is more
 * frequent full collections, which are mostly concurrent with the bot; `npm run bench` showed no
 * change in CPU or latency and a peak RSS of ~175 MB instead of ~250 MB (README, "Performance").
 *
 * Applied at run time (V8 reads the factor at every collection, and NODE_OPTIONS may not carry
 * this flag), unless the process was started with its own --heap-growing-percent.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 60;

/** Applies the policy; returns the percent in force, or undefined if the command line set one. */
export function applyHeapPolicy(execArgv: readonly string[] = process.execArgv): number | undefined {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return undefined;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
