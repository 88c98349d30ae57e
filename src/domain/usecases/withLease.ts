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
import type { RequestLeaseKind } from '../ports';
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
  /** The owner token of this holding (a write that gives the lease up names it: WriteOptions.lease). */
  readonly owner: string;
  /** Aborted once the lease is lost (for calls that take a signal). */
  readonly signal: AbortSignal;
  /** Throws LeaseLost if the lease is lost or may be; call it before each effect. */
  check(): void;
}

/** A hold that is never lost: for callers that run a step outside any lease (tests, one-off tools). */
export const UNLEASED: LeaseHold = { owner: '', signal: new AbortController().signal, check: () => undefined };

/** The TTL of the per-request leases (invitation, team step, approval routing): LEASE_SECONDS overrides it. */
export const DEFAULT_LEASE_MS = 20_000;

/** Renewals per TTL: a third, so that one late or failed renewal still leaves time for the next. */
const RENEWALS_PER_TTL = 3;
/** The share of a TTL after the last confirmed renewal beyond which the hold is no longer trusted. */
const TRUST_SHARE = 0.8;

/** Where a lease is kept: the named leases (the sweep's), or a request's own (its fan-out, invitation, team step). */
interface LeaseSlot {
  readonly name: string;
  tryAcquire(owner: string, ttlMs: number): Promise<boolean>;
  renew(owner: string, ttlMs: number): Promise<boolean>;
  release(owner: string): Promise<void>;
}

function namedSlot(wf: Workflow, name: string): LeaseSlot {
  return {
    name,
    tryAcquire: (owner, ttlMs) => wf.leases.tryAcquire(name, owner, ttlMs),
    renew: (owner, ttlMs) => wf.leases.renew(name, owner, ttlMs),
    release: (owner) => wf.leases.release(name, owner),
  };
}

function requestSlot(wf: Workflow, requestId: string, kind: RequestLeaseKind): LeaseSlot {
  const leases = wf.store.leases;
  return {
    name: `${kind}-${requestId}`,
    tryAcquire: (owner, ttlMs) => leases.tryAcquire(requestId, kind, owner, ttlMs),
    renew: (owner, ttlMs) => leases.renew(requestId, kind, owner, ttlMs),
    release: (owner) => leases.release(requestId, kind, owner),
  };
}

export async function withLease<T>(wf: Workflow, name: string, ttlMs: number, work: (hold: LeaseHold) => Promise<T>): Promise<Leased<T>> {
  const claim = await claimSlot(wf, namedSlot(wf, name), ttlMs);
  return claim ? claim.run(work) : { held: false };
}

/** The same, for one of a request's own leases (kept with the request: RequestStore.leases). */
export async function withRequestLease<T>(
  wf: Workflow,
  requestId: string,
  kind: RequestLeaseKind,
  ttlMs: number,
  work: (hold: LeaseHold) => Promise<T>,
): Promise<Leased<T>> {
  const claim = await claimSlot(wf, requestSlot(wf, requestId, kind), ttlMs);
  return claim ? claim.run(work) : { held: false };
}

/** A lease taken but whose work has not started yet (the submit takes it in the turn, the fan-out runs later). */
export interface LeaseClaim {
  /** The owner token the lease was taken with (a write that gives it up names it). */
  readonly owner: string;
  /** Runs `work` under the lease, renewing it, and releases it afterwards. Call once. */
  run<T>(work: (hold: LeaseHold) => Promise<T>): Promise<Leased<T>>;
}

/** A fresh owner token for one holding (instance id + a token): see the top of this file. */
export function newLeaseOwner(wf: Workflow): string {
  return `${wf.instanceId}/${wf.ids.newToken()}`;
}

/** Takes the named lease now; undefined if someone else holds it. Renewal starts with `run`. */
export async function claimLease(wf: Workflow, name: string, ttlMs: number): Promise<LeaseClaim | undefined> {
  return claimSlot(wf, namedSlot(wf, name), ttlMs);
}

/**
 * The claim on one of a request's leases that a request write took a moment ago (WriteOptions.lease:
 * the write reported leaseTaken), so that taking it cost no call of its own. `owner` is the token
 * the write took it with.
 */
export function takenRequestLease(wf: Workflow, requestId: string, kind: RequestLeaseKind, owner: string, ttlMs: number): LeaseClaim {
  return heldClaim(wf, requestSlot(wf, requestId, kind), owner, ttlMs);
}

async function claimSlot(wf: Workflow, slot: LeaseSlot, ttlMs: number): Promise<LeaseClaim | undefined> {
  const owner = newLeaseOwner(wf);
  if (!(await slot.tryAcquire(owner, ttlMs))) return undefined;
  return heldClaim(wf, slot, owner, ttlMs);
}

function heldClaim(wf: Workflow, slot: LeaseSlot, owner: string, ttlMs: number): LeaseClaim {
  // Measured on this process's monotonic clock: a renewal confirms the lease until its own start + TTL.
  let confirmedAt = performance.now();
  return {
    owner,
    run: (work) =>
      runHeld(
        wf,
        slot,
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
  slot: LeaseSlot,
  owner: string,
  ttlMs: number,
  confirmed: () => number,
  confirm: (at: number) => void,
  work: (hold: LeaseHold) => Promise<T>,
): Promise<Leased<T>> {
  const name = slot.name;
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
    renewing = slot
      .renew(owner, ttlMs)
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
    owner,
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
    // A no-op when the work's last write gave the lease up already (WriteOptions.lease.release).
    if (!controller.signal.aborted) await slot.release(owner).catch(() => undefined);
  }
}
