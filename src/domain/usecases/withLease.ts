/**
 * Runs `work` while holding the named lease, or not at all. Each holding has its own owner token
 * (instance id + a fresh token): two holders in the SAME process — the step right after a decision
 * and a timer sweep, or two overlapping sweeps — exclude each other exactly as two processes do.
 *
 * The lease is short (a crashed holder blocks others for at most one TTL) and renewed every third
 * of its TTL while the work runs. Renewal is fenced by owner and version (Leases.renew): once it
 * fails — someone else took the lease, or storage refused — the hold is lost, and the work stops
 * before its next effect by calling `hold.check()` (it throws LeaseLost) before each one. The hold
 * also counts as lost when no renewal has succeeded for most of a TTL (storage hanging), because
 * another process may be about to take the lease.
 */
import type { Workflow } from './workflow';

export type Leased<T> = { held: false; lost?: true } | { held: true; result: T };

/** Thrown by LeaseHold.check() once the lease can no longer be counted on. */
export class LeaseLost extends Error {
  constructor(
    readonly leaseName: string,
    reason: string,
  ) {
    super(`lease ${leaseName} lost: ${reason}`);
    this.name = 'LeaseLost';
  }
}

export interface LeaseHold {
  /** Aborted once the lease is lost (for calls that take a signal). */
  readonly signal: AbortSignal;
  /** Throws LeaseLost if the lease is lost or may be; call it before each effect. */
  check(): void;
}

/** A hold that is never lost: for callers that run a step outside any lease (tests, one-off tools). */
export const UNLEASED: LeaseHold = { signal: new AbortController().signal, check: () => undefined };

/** The TTL of the per-request leases (invitation, team step, approval routing): LEASE_SECONDS overrides it. */
export const DEFAULT_LEASE_MS = 20_000;

/** Renewals per TTL: a third, so that one late or failed renewal still leaves time for the next. */
const RENEWALS_PER_TTL = 3;
/** The share of a TTL after the last confirmed renewal beyond which the hold is no longer trusted. */
const TRUST_SHARE = 0.8;

export async function withLease<T>(wf: Workflow, name: string, ttlMs: number, work: (hold: LeaseHold) => Promise<T>): Promise<Leased<T>> {
  const claim = await claimLease(wf, name, ttlMs);
  return claim ? claim.run(work) : { held: false };
}

/** A lease taken but whose work has not started yet (the submit takes it in the turn, the fan-out runs later). */
export interface LeaseClaim {
  /** Runs `work` under the lease, renewing it, and releases it afterwards. Call once. */
  run<T>(work: (hold: LeaseHold) => Promise<T>): Promise<Leased<T>>;
}

/** Takes the lease now; undefined if someone else holds it. Renewal starts with `run`. */
export async function claimLease(wf: Workflow, name: string, ttlMs: number): Promise<LeaseClaim | undefined> {
  const owner = `${wf.instanceId}/${wf.ids.newToken()}`;
  if (!(await wf.leases.tryAcquire(name, owner, ttlMs))) return undefined;
  // Measured on this process's monotonic clock: a renewal confirms the lease until its own start + TTL.
  let confirmedAt = performance.now();
  return {
    run: (work) =>
      runHeld(
        wf,
        name,
        owner,
        ttlMs,
        () => confirmedAt,
        (at) => (confirmedAt = at),
        work,
      ),
  };
}

async function runHeld<T>(
  wf: Workflow,
  name: string,
  owner: string,
  ttlMs: number,
  confirmed: () => number,
  confirm: (at: number) => void,
  work: (hold: LeaseHold) => Promise<T>,
): Promise<Leased<T>> {
  const controller = new AbortController();
  const lose = (reason: string) => {
    if (controller.signal.aborted) return;
    wf.log.warn({ lease: name, reason }, 'lease lost: the work stops before its next step');
    controller.abort(new LeaseLost(name, reason));
  };
  let renewing: Promise<void> | undefined;
  const renew = () => {
    if (renewing || controller.signal.aborted) return;
    const started = performance.now();
    renewing = wf.leases
      .renew(name, owner, ttlMs)
      .then(
        (ok) => (ok ? confirm(started) : lose('taken over')),
        (err: unknown) => lose(`renewal failed: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => (renewing = undefined));
  };
  const timer = setInterval(renew, Math.max(1, Math.floor(ttlMs / RENEWALS_PER_TTL)));
  timer.unref?.();
  // Claimed a while ago (the work waited for a slot): renew at once rather than a third of a TTL later.
  if (performance.now() - confirmed() > ttlMs / RENEWALS_PER_TTL) {
    renew();
    await renewing;
  }
  const hold: LeaseHold = {
    signal: controller.signal,
    check() {
      if (!controller.signal.aborted && performance.now() - confirmed() > ttlMs * TRUST_SHARE) lose('no renewal confirmed in time');
      if (controller.signal.aborted)
        throw controller.signal.reason instanceof LeaseLost ? controller.signal.reason : new LeaseLost(name, 'aborted');
    },
  };
  try {
    return { held: true, result: await work(hold) };
  } catch (err) {
    if (err instanceof LeaseLost) return { held: false, lost: true };
    throw err;
  } finally {
    clearInterval(timer);
    await renewing?.catch(() => undefined);
    if (!controller.signal.aborted) await wf.leases.release(name, owner).catch(() => undefined);
  }
}
