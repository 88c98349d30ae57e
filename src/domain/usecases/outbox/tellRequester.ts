/**
 * Sends the requester their outcome message and says how it went. A permanent refusal by Teams
 * (the requester blocked the bot, say) is an answer, not an error: the request records it and the
 * decision stands; anything else is tried again by the next sweep.
 */
import type { GuestRequest, Versioned } from '../../guestRequest';
import { PermanentDeliveryError } from '../../ports';
import { certainlyNotDelivered } from '../../sendFailures';
import { errorText } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import type { Workflow } from '../workflow';

export type Told = { kind: 'told' } | { kind: 'unreachable'; status: number } | { kind: 'retryLater' };

/** `send` is the message to deliver: by default the outcome; the team step sends its own. */
export async function tellRequester(
  wf: Workflow,
  request: GuestRequest,
  send: (request: GuestRequest) => Promise<void> = (r) => wf.notifier.notifyRequester(r),
  failures?: unknown[],
): Promise<Told> {
  try {
    await send(request);
    return { kind: 'told' };
  } catch (err) {
    failures?.push(err);
    if (err instanceof PermanentDeliveryError) {
      wf.log.warn({ requestId: request.id, status: err.status }, 'requester unreachable in Teams; recorded, not retried');
      return { kind: 'unreachable', status: err.status };
    }
    // A caller that collects the failures decides what they mean (tellRequesterOnce: retried, or
    // unconfirmed and never sent again) and says so itself.
    if (!failures) wf.log.warn({ requestId: request.id, err: errorText(err) }, 'requester not reached; the next sweep tries again');
    return { kind: 'retryLater' };
  }
}

/** The fields that record how telling went, to store with the request. */
export function toldFields(
  wf: Workflow,
  told: Exclude<ToldOnce, { kind: 'retryLater' }>,
): Pick<GuestRequest, 'requesterNotifiedAt' | 'requesterUnreachable' | 'outcomeDeliveryUnconfirmed'> {
  const at = wf.clock.now().toISOString();
  if (told.kind === 'unconfirmed') return { requesterNotifiedAt: at, outcomeDeliveryUnconfirmed: true };
  return told.kind === 'told' ? { requesterNotifiedAt: at } : { requesterUnreachable: { at, status: told.status } };
}

export type ToldOnce = Told | { kind: 'unconfirmed' };

/**
 * Sends the outcome message at most once per request, whoever runs the step and however often:
 *   1. the delivery record (`outcomeSendStartedAt`) is written, conditionally, before the send;
 *   2. the message is sent;
 *   3. the caller records the result (requesterNotifiedAt) as before.
 * A failed send clears the record, so a later run tries again. A run that finds the record set
 * knows a sender stopped between 1 and 3 (crashed, or lost its lease under a hung send) and cannot
 * know whether the message arrived: it does not send again (`unconfirmed`; README, Reliability).
 * `recorded` is the request as stored; `message` the version to tell; `check` stops a holder that lost its lease.
 * `markedAt`: the caller wrote the delivery record itself, with this time, in its own last write
 * (the invitation step records Graph's answer and the record together): step 1 is done.
 */
export async function tellRequesterOnce(
  wf: Workflow,
  recorded: Versioned<GuestRequest>,
  message: GuestRequest,
  check: () => void,
  markedAt?: string,
): Promise<{ told: ToldOnce; recorded: Versioned<GuestRequest> }> {
  let startedAt: string;
  let now: Versioned<GuestRequest>;
  if (markedAt !== undefined && recorded.value.outcomeSendStartedAt === markedAt && !recorded.value.requesterNotifiedAt) {
    startedAt = markedAt;
    now = recorded;
  } else {
    if (recorded.value.outcomeSendStartedAt) return { told: { kind: 'unconfirmed' }, recorded };
    check();
    startedAt = wf.clock.now().toISOString();
    const marked = await updateRequest(
      wf,
      recorded.value.id,
      (latest) =>
        latest.outcomeSendStartedAt || latest.requesterNotifiedAt || latest.requesterUnreachable
          ? { result: false }
          : { write: { ...latest, outcomeSendStartedAt: startedAt }, result: true },
      recorded,
    );
    if (!marked.found) return { told: { kind: 'retryLater' }, recorded };
    now = { value: marked.request, etag: marked.etag };
    // Someone else's record (or their finished delivery): theirs to finish, never a second message.
    if (!marked.result)
      return {
        told: marked.request.outcomeSendStartedAt && !marked.request.requesterNotifiedAt ? { kind: 'unconfirmed' } : { kind: 'retryLater' },
        recorded: now,
      };
  }
  check();
  const failures: unknown[] = [];
  const told = await tellRequester(wf, message, undefined, failures);
  if (told.kind !== 'retryLater') return { told, recorded: now };
  // A time-out or a dropped connection may have delivered it: the record stays (at most once).
  if (!failures.every(certainlyNotDelivered)) return { told: { kind: 'unconfirmed' }, recorded: now };
  // Certainly not delivered (Teams answered with an error, or refused the connection): clear the record so that the next run sends.
  wf.log.warn({ requestId: message.id, err: errorText(failures[0]) }, 'requester not reached; the next sweep tries again');
  check();
  const cleared = await updateRequest(
    wf,
    recorded.value.id,
    (latest) =>
      latest.outcomeSendStartedAt === startedAt
        ? { write: { ...latest, outcomeSendStartedAt: undefined }, result: undefined }
        : { result: undefined },
    now,
  );
  return { told, recorded: cleared.found ? { value: cleared.request, etag: cleared.etag } : now };
}
