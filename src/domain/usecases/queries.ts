/** Read-only views: a requester's own requests, and what waits for approvers. */
import type { GuestRequest } from '../guestRequest';
import { checkApproverActor } from '../lifecycle/authorization';
import type { Page } from '../ports';
import { type Caller, loadRequestFor } from './requestAccess';
import type { Workflow } from './workflow';

export const PAGE_SIZE = 10;
/** Far above any cursor the store hands out; a longer one is not ours and is not even parsed. */
const MAX_CURSOR_LENGTH = 1024;

export async function myRequests(wf: Workflow, requesterId: string, given?: string): Promise<Page<GuestRequest>> {
  const cursor = given && given.length <= MAX_CURSOR_LENGTH ? given : undefined;
  try {
    return await wf.store.listByRequester(requesterId, PAGE_SIZE, cursor);
  } catch (err) {
    // A cursor arrives from card data: one that is not ours (tampered, or from another listing)
    // is refused by the store, and the list simply starts again from the newest.
    if (cursor === undefined || !(err instanceof RangeError)) throw err;
    return wf.store.listByRequester(requesterId, PAGE_SIZE);
  }
}

export async function pendingRequests(
  wf: Workflow,
  approverId: string,
  cursor?: string,
): Promise<{ kind: 'notApprover' } | { kind: 'page'; page: Page<GuestRequest>; memberApprover: boolean }> {
  if (!(await wf.approvers.isApprover(approverId))) return { kind: 'notApprover' };
  // Member invitations in the page are drawn read-only for an approver who may not decide them.
  const memberApprover = wf.memberApprovers ? await wf.memberApprovers.isApprover(approverId) : false;
  return { kind: 'page', page: await wf.store.listByStatus('Pending', PAGE_SIZE, cursor), memberApprover };
}

/**
 * One viewer's own view of an approval card (Universal Actions refresh): approvers who may act on
 * the request get the buttons, everyone else entitled to see it the read-only card. Anyone else
 * gets `notFound`, as for an id that does not exist.
 */
export async function approvalViewFor(
  wf: Workflow,
  requestId: string,
  viewer: Caller,
): Promise<{ kind: 'notFound' } | { kind: 'view'; request: GuestRequest; mayAct: boolean; deciders: readonly string[] }> {
  const access = await loadRequestFor(wf, requestId, viewer, 'view');
  if (access.kind !== 'found') return { kind: 'notFound' };
  const request = access.request.value;
  const mayAct = checkApproverActor(request, viewer.person.id, access.rights.decide, access.rights.memberApprover).ok;
  const channelCard = (await wf.store.listApprovalMessages(requestId)).find((m) => m.channelId);
  return { kind: 'view', request, mayAct, deciders: channelCard?.deciders ?? [] };
}

/**
 * The requester's own view of their request (their status card's refresh). Anyone else, approvers
 * included, gets `notFound`, as for an id that does not exist: the card lives in the requester's chat.
 */
export async function requesterViewFor(
  wf: Workflow,
  requestId: string,
  viewer: Caller,
): Promise<{ kind: 'notFound' } | { kind: 'view'; request: GuestRequest }> {
  const access = await loadRequestFor(wf, requestId, viewer, 'requester');
  return access.kind === 'found' ? { kind: 'view', request: access.request.value } : { kind: 'notFound' };
}
