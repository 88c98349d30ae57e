/**
 * Runs `work` while holding the named lease, or not at all. Each holding has its own owner token
 * (instance id + a fresh token): two holders in the SAME process — the step right after a decision
 * and a timer sweep, or two overlapping sweeps — exclude each other exactly as two processes do.
 */
import type { Workflow } from './workflow';

export type Leased<T> = { held: false } | { held: true; result: T };

export async function withLease<T>(wf: Workflow, name: string, ttlMs: number, work: () => Promise<T>): Promise<Leased<T>> {
  const owner = `${wf.instanceId}/${wf.ids.newToken()}`;
  if (!(await wf.leases.tryAcquire(name, owner, ttlMs))) return { held: false };
  try {
    return { held: true, result: await work() };
  } finally {
    await wf.leases.release(name, owner).catch(() => undefined);
  }
}
