/**
 * Read–decide–write with an eTag, repeated when someone else wrote in between. This is how two
 * processes (or two approvers clicking at once) agree without any in-memory lock: the store's
 * conditional write lets exactly one of them through, the other re-reads and decides again.
 *
 * A mutation that changes the status names who did it (`by`): its audit entry then commits with
 * the write, atomically, so the trail never misses a transition nor records one that lost a race.
 */
import type { ApprovalMessage, GuestRequest, Person } from '../guestRequest';
import { ConcurrencyConflict, type GetOptions, type LeaseChange, type StoredRequest } from '../ports';
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
      /** The approval cards of the version written against, when it came with them. */
      approvalMessages?: readonly ApprovalMessage[];
    };

/**
 * `reread`: how the first read after a lost race is made (RequestStore.get's options). With
 * `recent`, the version this process's own write left may be taken without a call (a card save
 * that moved the request on: tableRequestStore.ts); it may be stale, so it is written against
 * like `known`, never decided on alone.
 */
export interface UpdateOptions {
  readonly reread?: GetOptions;
}

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
  known?: StoredRequest,
  options: UpdateOptions = {},
): Promise<UpdateOutcome<R>> {
  let assumed = known;
  for (let attempt = 1; ; attempt++) {
    const current: StoredRequest | undefined = assumed ?? (await wf.store.get(requestId));
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
        ...(current.approvalMessages ? { approvalMessages: current.approvalMessages } : {}),
      };
    } catch (err) {
      if (!(err instanceof ConcurrencyConflict) || attempt >= MAX_ATTEMPTS) throw err;
      // Lost the race: go round again and let `mutate` see what the winner wrote.
      if (attempt === 1 && options.reread) assumed = await wf.store.get(requestId, options.reread);
    }
  }
}
