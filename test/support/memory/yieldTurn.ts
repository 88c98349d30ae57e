/**
 * Lets other pending work run before a memory adapter answers, as a real round trip would: two
 * use cases started together then interleave (both read, then both write) instead of one running
 * to completion first, which is what makes races in unit tests real races.
 */
export function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
