/**
 * Approvers are reminded, once, of a request still Pending after the reminder period: a message in
 * each approver's chat (the one holding the approval card). `reminderSentAt` is written first with a
 * conditional write, so of several sweeps only one sends it and a re-run never sends it again
 * (a crash between the write and the messages loses that reminder rather than doubling it).
 */
import { errorText } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import type { GuestRequest } from '../../guestRequest';
import type { Workflow } from '../workflow';

/** Reminds the approvers of one Pending request, unless they were reminded already; says whether it did. */
export async function remindApproversOf(wf: Workflow, candidate: GuestRequest): Promise<boolean> {
  if (candidate.reminderSentAt) return false;
  try {
    const claimed = await updateRequest(wf, candidate.id, (current) =>
      current.status === 'Pending' && !current.reminderSentAt
        ? { write: { ...current, reminderSentAt: wf.clock.now().toISOString() }, result: undefined }
        : { result: undefined },
    );
    if (!claimed.found || !claimed.written) return false;
    const messages = await wf.store.listApprovalMessages(candidate.id);
    for (const message of messages) {
      await wf.notifier
        .remindApprover(message, claimed.request)
        .catch((err: unknown) => wf.log.warn({ requestId: candidate.id, err: errorText(err) }, 'approver not reminded'));
    }
    wf.log.info({ requestId: candidate.id, approvers: messages.length }, 'approvers reminded');
    return true;
  } catch (err) {
    wf.log.warn({ requestId: candidate.id, err: errorText(err) }, 'reminder step failed; the next sweep tries again');
    return false;
  }
}
