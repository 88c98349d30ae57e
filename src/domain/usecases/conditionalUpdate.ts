/**
 * Read–decide–write with an eTag, repeated when someone else wrote in between. This is how two
 * processes (or two approvers clicking at once) agree without any in-memory lock: the store's
 * conditional write lets exactly one of them through, the other re-reads and decides again.
 *
 * A mutation that changes the status names who did it (`by`): its audit entry then commits with
 * the write, atomically, so the trail never misses a transition nor records one that lost a race.
 */
import type { GuestRequest, Person, Versioned } from '../guestRequest';
import { ConcurrencyConflict, type LeaseChange } from '../ports';
import { transitionEntry } from './audit';
import type { Workflow } from './workflow';

/** Who made a status change, and why (the audit entry's detail). */
export interface TransitionNote {
  readonly by: Person;
  readonly detail?: string;
}

/** `lease`: one of the request's leases taken or given up with the write (WriteOptions.lease). */
export type Mutation<R> =
  { write: GuestRequest; audit?: TransitionNote; lease?: LeaseChange; result: R } | { write?: undefined; result: R };

export type UpdateOutcome<R> =
  | { found: false }
  | {
      found: true;
      written: boolean;
      request: GuestRequest;
      before: GuestRequest;
      result: R;
      /** of `request` */ etag: string;
      /** For a write that took a lease: whether it got it. */
      leaseTaken?: boolean;
    };

const MAX_ATTEMPTS = 5;

/**
 * `known` is a version the caller already holds (say, the one it wrote itself): the first attempt
 * writes against it without reading again. If it is stale the write fails and the loop reads; a
 * decision not to write is only ever taken on a fresh read.
 */
export async function updateRequest<R>(
  wf: Workflow,
  requestId: string,
  mutate: (current: GuestRequest) => Mutation<R>,
  known?: Versioned<GuestRequest>,
): Promise<UpdateOutcome<R>> {
  let assumed = known;
  for (let attempt = 1; ; attempt++) {
    const current: Versioned<GuestRequest> | undefined = assumed ?? (await wf.store.get(requestId));
    const fresh = !assumed;
    assumed = undefined;
    if (!current) return { found: false };
    const mutation = mutate(current.value);
    if (!mutation.write) {
      if (!fresh) continue; // not on a version that may be stale: read and decide again
      return { found: true, written: false, request: current.value, before: current.value, result: mutation.result, etag: current.etag };
    }
    const note = mutation.audit;
    const audit = note ? transitionEntry(wf, current.value, mutation.write, note.by, note.detail) : undefined;
    try {
      const saved = await wf.store.update(mutation.write, current.etag, { previous: current.value, audit, lease: mutation.lease });
      return {
        found: true,
        written: true,
        request: saved.value,
        before: current.value,
        result: mutation.result,
        etag: saved.etag,
        ...(saved.leaseTaken === undefined ? {} : { leaseTaken: saved.leaseTaken }),
      };
    } catch (err) {
      if (!(err instanceof ConcurrencyConflict) || attempt >= MAX_ATTEMPTS) throw err;
      // Lost the race: go round again and let `mutate` see what the winner wrote.
    }
  }
}
