/**
 * Sends the approval card to every approver (except the requester, who may not decide) and keeps
 * where each card landed so that it can be updated after the decision. Safe to run again: approvers
 * who already have a card are skipped.
 */
import { type ApprovalMessage, channelApprovalKey, type GuestRequest, isMemberInvitation, type Versioned } from '../../guestRequest';
import { sameId } from '../../lifecycle/authorization';
import { classifyExistingAccount } from '../../lifecycle/existingAccount';
import { AwaitingInstallation, type CardsSaved, PermanentDeliveryError } from '../../ports';
import { updateRequest } from '../conditionalUpdate';
import { errorText } from '../audit';
import { refreshApprovalCards } from './refreshApprovalCards';
import type { Workflow } from '../workflow';
import type { LeaseClaim } from '../withLease';

/**
 * `request` as the caller has it (just stored, or just listed): what happened since is read below.
 * `justCreated`: the caller created it a moment ago, so no card can have gone out yet.
 */
export interface RouteOptions {
  readonly justCreated?: boolean;
  /** Called before each card goes out: throws once the caller's routing lease is lost. */
  readonly check?: () => void;
  /** The routing lease's owner, when the cards' write may give it up (it is done with it then). */
  readonly leaseOwner?: string;
  /** The eTag of `request` as the caller has it: the cards' write then tells whether it changed since. */
  readonly etag?: string;
}

/** Whether some approver (or the approvers' channel) still lacks the request's card: one read. */
export async function cardsMissing(wf: Workflow, request: GuestRequest): Promise<boolean> {
  const cards = await wf.store.listApprovalMessages(request.id);
  const already = new Set(cards.map((m) => m.approverId.toLowerCase()));
  if (wf.approvalChannelId) return !already.has(channelApprovalKey(wf.approvalChannelId).toLowerCase());
  return (await wf.approvers.list()).some((id) => !sameId(id, request.requester.id) && !already.has(id.toLowerCase()));
}

/**
 * A new request's fan-out, under the routing lease (`route`) its submit took with the request
 * itself, so a sweep never races it; if this process dies, the lease lapses within one TTL and the
 * sweep sends the missing cards (resumeApprovalRouting.ts). The cards' write gives the lease up.
 */
export function newRequestFanOut(wf: Workflow, request: Versioned<GuestRequest>, claim: LeaseClaim): () => Promise<unknown> {
  return () =>
    claim.run((hold) =>
      routeApprovals(wf, request.value, { justCreated: true, check: () => hold.check(), leaseOwner: claim.owner, etag: request.etag }),
    );
}

export async function routeApprovals(wf: Workflow, request: GuestRequest, options: RouteOptions = {}): Promise<Routed> {
  const check = options.check ?? (() => undefined);
  const requestId = request.id;
  const cards = options.justCreated ? [] : await wf.store.listApprovalMessages(requestId);
  const already = new Set(cards.map((m) => m.approverId.toLowerCase()));
  const recipients = (await wf.approvers.list()).filter((id) => !sameId(id, request.requester.id));
  const targets = recipients.filter((id) => !already.has(id.toLowerCase()));
  const result = wf.approvalChannelId
    ? await postToChannel(wf, request, wf.approvalChannelId, await decidersAmong(wf, request, recipients), already, check)
    : await sendToEach(wf, request, targets, check);
  // Every card that went out, recorded in one write that also gives the routing lease up.
  const saved = await recordCards(wf, request, result.messages, options.leaseOwner, result.sent > 0 ? options.etag : undefined);
  // Nobody has a card and nobody can get one (refused for good, not merely slow or awaiting an
  // installation): the requester hears it now instead of waiting in silence; the sweep keeps trying.
  if (!wf.approvalChannelId && already.size === 0 && targets.length > 0 && result.unreachable === targets.length) {
    await tellNobodyReachable(wf, request, targets.length);
  }

  // A quick approver may have decided while the cards sent here were going out: the decision's own
  // refresh only covers the cards saved before it. The cards' write says whether the request
  // changed since this fan-out's version (and a decision still holding that version has to read
  // again, and sees every card); without a version to compare, the request is read. (Nothing sent,
  // as for a sweep that finds every card there: no race.)
  let latest: Versioned<GuestRequest> | undefined;
  if (result.sent > 0) {
    latest =
      saved?.requestEtag !== undefined && !saved.requestChanged
        ? { value: request, etag: saved.requestEtag }
        : await wf.store.get(requestId);
  }
  if (latest && latest.value.status !== 'Pending') await refreshApprovalCards(wf, latest.value);

  // Then the directory look-up: approvers are not kept waiting on Graph (or on its retries when it
  // is slow). An account it finds is added to the cards that went out. Decided already: the note
  // would not be kept (see lookUpExistingAccount), so Graph is not asked.
  const current = latest?.value ?? request;
  if ((result.sent > 0 && !latest) || current.existingAccount || current.status !== 'Pending') return result;
  const looked = await lookUpExistingAccount(wf, current, latest);
  if (looked.existingAccount && looked.existingAccount.kind !== 'none') await refreshApprovalCards(wf, looked);
  return result;
}

/**
 * Who among the card's recipients may decide: everyone for a Guest invitation, the member approvers
 * for a Member one (every approver still gets the card, the others read-only; SECURITY.md).
 */
async function decidersAmong(wf: Workflow, request: GuestRequest, recipients: readonly string[]): Promise<string[]> {
  if (!isMemberInvitation(request)) return [...recipients];
  const memberApprovers = wf.memberApprovers;
  if (!memberApprovers) return [];
  const decides = await Promise.all(recipients.map((id) => memberApprovers.isApprover(id)));
  return recipients.filter((_, i) => decides[i]);
}

interface Routed {
  /** Where the cards that went out landed. */
  readonly messages: readonly ApprovalMessage[];
  readonly sent: number;
  readonly failed: number;
  /** Of the failed: approvers Teams (or the installation) refused for good. */
  readonly unreachable: number;
}

async function sendToEach(wf: Workflow, request: GuestRequest, targets: readonly string[], check: () => void): Promise<Routed> {
  let sent = 0;
  let failed = 0;
  let unreachable = 0;
  let awaiting = 0;
  const messages: ApprovalMessage[] = [];
  const deciders = new Set(await decidersAmong(wf, request, targets));
  await Promise.all(
    targets.map(async (approverId) => {
      check(); // outside the try: a lost lease stops the fan-out, it is not a failed delivery
      try {
        const options = deciders.has(approverId) ? {} : { readOnly: true };
        messages.push(await wf.notifier.sendApprovalCard(approverId, request, request.requesterAddress, options));
        sent++;
      } catch (err) {
        failed++;
        if (err instanceof AwaitingInstallation) {
          awaiting++;
          wf.log.info({ requestId: request.id, approverId }, 'app installed for the approver; the card follows when Teams announces it');
        } else if (err instanceof PermanentDeliveryError) {
          unreachable++;
          // One line per approver, naming why (never the guest): what the admin has to fix.
          wf.log.error(
            { requestId: request.id, approverId, status: err.status, reason: err.message },
            'approver cannot be reached in Teams',
          );
        } else {
          wf.log.warn({ requestId: request.id, approverId, err: errorText(err) }, 'approval card not delivered');
        }
      }
    }),
  );
  if (targets.length > 0 && sent === 0 && awaiting === 0) {
    wf.log.error({ requestId: request.id }, 'no approver could be reached: the request waits; the sweep tries again');
  }
  return { messages, sent, failed, unreachable };
}

/**
 * A card sent but not recorded is sent again by the sweep (resumeApprovalRouting.ts) rather than
 * never updated: the failure is logged, not thrown.
 */
async function recordCards(
  wf: Workflow,
  request: GuestRequest,
  messages: readonly ApprovalMessage[],
  leaseOwner: string | undefined,
  unchangedSince: string | undefined,
): Promise<CardsSaved | undefined> {
  if (messages.length === 0 && !leaseOwner) return undefined;
  try {
    return await wf.store.saveApprovalMessages(request.id, messages, {
      ...(leaseOwner ? { release: { kind: 'route', owner: leaseOwner } } : {}),
      ...(unchangedSince ? { unchangedSince } : {}),
    });
  } catch (err) {
    wf.log.warn({ requestId: request.id, cards: messages.length, err: errorText(err) }, 'approval cards sent but not recorded');
    return undefined;
  }
}

/** Tells the requester, once per request, that none of the approvers can be reached. */
async function tellNobodyReachable(wf: Workflow, request: GuestRequest, approvers: number): Promise<void> {
  try {
    const claimed = await updateRequest(wf, request.id, (current) =>
      current.status === 'Pending' && !current.approversUnreachableToldAt
        ? { write: { ...current, approversUnreachableToldAt: wf.clock.now().toISOString() }, result: undefined }
        : { result: undefined },
    );
    if (!claimed.found || !claimed.written) return;
    await wf.notifier.notifyApproversUnreachable(claimed.request);
    wf.log.warn({ requestId: request.id, approvers }, 'requester told that no approver can be reached; the request stays pending');
  } catch (err) {
    wf.log.warn({ requestId: request.id, err: errorText(err) }, 'requester not told that no approver can be reached');
  }
}

/**
 * Looks the guest's address up in the directory (Microsoft's recommended way: mail, otherMails,
 * proxyAddresses, userPrincipalName) so the approvers see whether the person is already a guest or a
 * colleague. A failed look-up is not fatal: the cards simply carry no note.
 */
/** `read`: the version `request` came from, when the caller holds it (saves a read). */
async function lookUpExistingAccount(wf: Workflow, request: GuestRequest, read?: Versioned<GuestRequest>): Promise<GuestRequest> {
  let users;
  try {
    users = await wf.directory.findUsersByEmail(request.guest.email);
  } catch (err) {
    wf.log.warn({ requestId: request.id, err: errorText(err) }, 'directory look-up failed; approval cards go out without it');
    return request;
  }
  const existingAccount = classifyExistingAccount(users, wf.clock.now().toISOString());
  // Nobody has the address (the usual case): nothing to note on the cards, so nothing is written.
  // A routing resumed later looks again, which costs a directory query, not a write per request.
  if (existingAccount.kind === 'none') return request;
  // Only a Pending request takes the note: it is there to inform the decision. Once decided it is
  // moot (an approval's outbox step has already started without it), and storing it would only
  // cost a write and make the outbox's own write lose its eTag race and read again.
  const saved = await updateRequest(
    wf,
    request.id,
    (latest) =>
      latest.status !== 'Pending' || latest.existingAccount
        ? { result: undefined }
        : { write: { ...latest, existingAccount }, result: undefined },
    read,
  );
  return saved.found ? saved.request : request;
}

/** The channel variant: one card for everyone in the approvers' channel, buttons for the deciders. */
async function postToChannel(
  wf: Workflow,
  request: GuestRequest,
  channelId: string,
  deciders: readonly string[],
  already: ReadonlySet<string>,
  check: () => void,
): Promise<Routed> {
  if (already.has(channelApprovalKey(channelId).toLowerCase())) return { messages: [], sent: 0, failed: 0, unreachable: 0 };
  check();
  try {
    const message = await wf.notifier.postApprovalToChannel(channelId, request, request.requesterAddress, deciders);
    return { messages: [message], sent: 1, failed: 0, unreachable: 0 };
  } catch (err) {
    wf.log.error({ requestId: request.id, err: errorText(err) }, "approval card not posted to the approvers' channel");
    return { messages: [], sent: 0, failed: 1, unreachable: 0 };
  }
}

export { channelApprovalKey };
