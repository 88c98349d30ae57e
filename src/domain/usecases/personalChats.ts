/**
 * Each person's own chat with the bot, as Teams announces it: the app installed for them in
 * personal scope (installationUpdate add, or conversationUpdate with the bot among the members
 * added), any activity of theirs in that chat (a refresh: the store skips writes that change
 * nothing), the app uninstalled (installationUpdate remove). An installation is also the moment
 * a delivery that waited for it (AwaitingInstallation) can go out.
 */
import type { ChatAddress } from '../guestRequest';
import { errorText } from './audit';
import { resumeApprovalRouting } from './approval/resumeApprovalRouting';
import { requestsIn } from './sweep/requestsIn';
import type { Workflow } from './workflow';

export type PersonalChatEvent =
  | { readonly kind: 'installed'; readonly userId: string; readonly address: ChatAddress }
  | { readonly kind: 'seen'; readonly userId: string; readonly address: ChatAddress }
  | { readonly kind: 'uninstalled'; readonly userId: string };

/** Records the event; says whether the person just became reachable (deliveries may follow: deliverAwaiting). */
export async function recordPersonalChat(wf: Workflow, event: PersonalChatEvent): Promise<boolean> {
  if (!wf.chats) return false;
  if (event.kind === 'uninstalled') {
    await wf.chats.remove(event.userId);
    wf.log.info({ userId: event.userId }, 'personal chat forgotten: the app was uninstalled');
    return false;
  }
  await wf.chats.save(event.userId, event.address);
  if (event.kind === 'installed') wf.log.info({ userId: event.userId }, 'personal chat stored: the app is installed');
  return event.kind === 'installed';
}

/**
 * Whether someone's installation can let anything out: only approval cards wait for one, so an
 * installation of anyone else (most of an admin's push to the whole organisation) changes nothing.
 * When the roster cannot say, it is assumed so (a walk too many, not a card left waiting).
 */
export function mayHaveAwaitingDeliveries(wf: Workflow, userId: string): Promise<boolean> {
  return wf.approvers.isApprover(userId).catch(() => true);
}

/**
 * After someone became reachable: the approval cards that Pending requests still miss go out now
 * (resumeApprovalRouting: only missing cards, under the request's routing lease), rather than
 * with the next sweep. Bounded like the sweep's walk.
 */
export async function deliverAwaiting(wf: Workflow, options: { readonly max?: number } = {}): Promise<number> {
  let sent = 0;
  try {
    for await (const request of requestsIn(wf, 'Pending', { max: options.max ?? 500 })) {
      if (await resumeApprovalRouting(wf, request)) sent++;
    }
  } catch (err) {
    wf.log.warn({ err: errorText(err) }, 'awaiting deliveries not finished; the next sweep tries again');
  }
  return sent;
}
