/**
 * Approvers are reminded, once, of a request still Pending after the reminder period: a message in
 * each approver's chat (the one holding the approval card). `reminderSentAt` is written first with a
 * conditional write, so of several sweeps only one sends it and a re-run never sends it again
 * (a crash between the write and the messages loses that reminder rather than doubling it).
 */
import { errorText } from './audit';
import { updateRequest } from './conditionalUpdate';
import type { Workflow } from './workflow';

const PAGE = 50;

export interface ReminderOptions {
  /** A request created this long ago (or longer) and still Pending gets one reminder. */
  readonly reminderMs: number;
  readonly maxRequests?: number;
}

export async function remindApprovers(wf: Workflow, options: ReminderOptions): Promise<number> {
  const remind = wf.notifier.remindApprover.bind(wf.notifier);
  const max = options.maxRequests ?? 500;
  const cutoff = wf.clock.now().getTime() - options.reminderMs;
  let reminded = 0;
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await wf.store.listByStatus('Pending', PAGE, cursor);
    for (const candidate of page.items) {
      // Oldest first: the first request that is too young ends the run.
      if (!(Date.parse(candidate.createdAt) <= cutoff)) return reminded;
      if (++seen > max) return reminded;
      if (candidate.reminderSentAt) continue;
      try {
        const claimed = await updateRequest(wf, candidate.id, (current) =>
          current.status === 'Pending' && !current.reminderSentAt
            ? { write: { ...current, reminderSentAt: wf.clock.now().toISOString() }, result: undefined }
            : { result: undefined },
        );
        if (!claimed.found || !claimed.written) continue;
        const messages = await wf.store.listApprovalMessages(candidate.id);
        for (const message of messages) {
          await remind(message, claimed.request).catch((err: unknown) =>
            wf.log.warn({ requestId: candidate.id, err: errorText(err) }, 'approver not reminded'),
          );
        }
        reminded++;
        wf.log.info({ requestId: candidate.id, approvers: messages.length }, 'approvers reminded');
      } catch (err) {
        wf.log.warn({ requestId: candidate.id, err: errorText(err) }, 'reminder step failed; the next sweep tries again');
      }
    }
    cursor = page.next;
  } while (cursor);
  return reminded;
}
