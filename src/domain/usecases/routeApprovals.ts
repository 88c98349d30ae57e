/**
 * Sends the approval card to every approver (except the requester, who may not decide) and keeps
 * where each card landed so that it can be updated after the decision. Safe to run again: approvers
 * who already have a card are skipped.
 */
import { sameId } from '../lifecycle/authorization';
import { errorText } from './audit';
import { refreshApprovalCards } from './refreshApprovalCards';
import type { Workflow } from './workflow';

export async function routeApprovals(wf: Workflow, requestId: string): Promise<{ sent: number; failed: number }> {
  const current = await wf.store.get(requestId);
  if (!current) return { sent: 0, failed: 0 };
  const request = current.value;
  const already = new Set((await wf.store.listApprovalMessages(requestId)).map((m) => m.approverId.toLowerCase()));
  const targets = wf.approvers.list().filter((id) => !sameId(id, request.requester.id) && !already.has(id.toLowerCase()));

  let sent = 0;
  let failed = 0;
  await Promise.all(
    targets.map(async (approverId) => {
      try {
        const message = await wf.notifier.sendApprovalCard(approverId, request, request.requesterAddress);
        await wf.store.saveApprovalMessage(message);
        sent++;
      } catch (err) {
        failed++;
        wf.log.warn({ requestId, approverId, err: errorText(err) }, 'approval card not delivered');
      }
    }),
  );
  if (targets.length > 0 && sent === 0) {
    wf.log.error({ requestId }, 'no approver could be reached: the request waits until an approver uses "pending"');
  }
  // A quick approver may have decided while later cards were still being sent: bring those in line.
  const after = await wf.store.get(requestId);
  if (after && after.value.status !== 'Pending') await refreshApprovalCards(wf, after.value);
  return { sent, failed };
}
