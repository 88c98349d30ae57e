/**
 * POST /invitations — the invitation manager. In order: record the call, apply an outage or the next scripted
 * fault, then chaos, then throttling, then Graph's validation, then create (or resend) the invitation.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { checkInvitation, type ValidInvitation } from '../invitationValidation';
import type { CallOutcome, InvitationCall } from '../invitationLog';
import { graphError, json, type Reply } from '../reply';
import { applyFault, type RetryAfterGiven } from './faultReply';
import { INVALID_JSON_MESSAGE, readJsonBody, type Route, type SandboxRequest } from './context';

export const invitationRoutes: Route[] = [{ method: 'POST', pattern: /^\/invitations$/, handle: postInvitation }];

async function postInvitation(request: SandboxRequest): Promise<Reply> {
  const { state } = request;
  const parsed = readJsonBody(request);
  const call = state.log.arrive(request.requestId, parsed.ok ? parsed.value : request.bodyText, hasBearer(request));
  const finish = (reply: Reply, status: number | null, outcome: CallOutcome, retryAfter?: RetryAfterGiven): Reply => {
    request.onDelivered((delivery) => state.log.answered(call, delivery, status, outcome, retryAfter));
    return reply;
  };

  // An outage (state.startOutage) comes before the script and chaos, and consumes neither.
  const outage = state.outageStep();
  for (const step of outage ? [outage] : [state.faults.take(), state.chaos?.next()]) {
    if (!step) continue;
    const effect = await applyFault(request, step);
    if (effect.kind === 'client-gone') return finish({ kind: 'abandoned' }, null, 'client-gone');
    if (effect.kind === 'reply') {
      const outcome: CallOutcome = effect.reply.kind === 'reset' ? 'reset' : effect.status === 429 ? 'throttled' : 'fault';
      return finish(effect.reply, effect.status, outcome, effect.retryAfter);
    }
  }

  const waitMs = state.throttle?.take() ?? 0;
  if (waitMs > 0) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const reply = graphError(request, 429, 'TooManyRequests', 'Too many requests. Please try again later.', {
      'Retry-After': String(seconds),
    });
    return finish(reply, 429, 'throttled', { deltaMs: seconds * 1000 });
  }

  if (!parsed.ok) return finish(graphError(request, 400, 'BadRequest', INVALID_JSON_MESSAGE), 400, 'rejected');
  const checked = checkInvitation(parsed.value);
  if (!checked.ok) return finish(graphError(request, 400, checked.code, checked.message), 400, 'rejected');

  const invitation = checked.invitation;
  const existing = state.directory.findByAddress(invitation.invitedUserEmailAddress);
  if (existing && existing.externalUserState === null) {
    // A person of this organisation cannot be invited into it as a guest.
    const message = 'The invited user already exists in this directory as a member of the organization and cannot be invited.';
    return finish(graphError(request, 400, 'BadRequest', message), 400, 'rejected');
  }

  const user = state.directory.guestFor(invitation.invitedUserEmailAddress, invitation.invitedUserDisplayName, invitation.invitedUserType);
  const body = invitationBody(request, invitation, user.id, call);
  return finish(json(201, body), 201, 'created');
}

function invitationBody(request: SandboxRequest, invitation: ValidInvitation, userId: string, call: InvitationCall): object {
  const id = randomUUID();
  call.invitationId = id;
  call.invitedUserId = userId;
  const info = invitation.messageInfo;
  return {
    '@odata.context': `${request.graphBaseUrl}/$metadata#invitations/$entity`,
    id,
    inviteRedeemUrl: redeemUrl(request.state.tenantId, id),
    invitedUserDisplayName: invitation.invitedUserDisplayName,
    invitedUserType: invitation.invitedUserType,
    invitedUserEmailAddress: invitation.invitedUserEmailAddress,
    sendInvitationMessage: invitation.sendInvitationMessage,
    resetRedemption: invitation.resetRedemption,
    inviteRedirectUrl: invitation.inviteRedirectUrl,
    status: 'PendingAcceptance',
    invitedUserMessageInfo: {
      messageLanguage: info.messageLanguage,
      customizedMessageBody: info.customizedMessageBody,
      // Graph answers one empty recipient when none was asked for; clients must cope with it.
      ccRecipients: info.ccRecipients.length > 0 ? info.ccRecipients : [{ emailAddress: { name: null, address: null } }],
    },
    invitedUser: { id: userId },
  };
}

/** Same shape as Graph's: a login.microsoftonline.com redeem link wrapping a one-time ticket. */
function redeemUrl(tenantId: string, invitationId: string): string {
  const ticket = randomBytes(24).toString('base64');
  const inner =
    `https://invitations.microsoft.com/redeem/?tenant=${tenantId}&user=${invitationId}` +
    `&ticket=${encodeURIComponent(encodeURIComponent(ticket))}&ver=2.0`;
  return `https://login.microsoftonline.com/redeem?rd=${encodeURIComponent(inner)}`;
}

function hasBearer(request: SandboxRequest): boolean {
  return /^Bearer\s+\S+/i.test(request.headers.authorization ?? '');
}
