/** Read-only views: a requester's own requests, and what waits for approvers. */
import type { GuestRequest } from '../guestRequest';
import type { Page } from '../ports';
import type { Workflow } from './workflow';

export const PAGE_SIZE = 10;

export function myRequests(wf: Workflow, requesterId: string, cursor?: string): Promise<Page<GuestRequest>> {
  return wf.store.listByRequester(requesterId, PAGE_SIZE, cursor);
}

export async function pendingRequests(
  wf: Workflow,
  approverId: string,
  cursor?: string,
): Promise<{ kind: 'notApprover' } | { kind: 'page'; page: Page<GuestRequest> }> {
  if (!(await wf.approvers.isApprover(approverId))) return { kind: 'notApprover' };
  return { kind: 'page', page: await wf.store.listByStatus('Pending', PAGE_SIZE, cursor) };
}
