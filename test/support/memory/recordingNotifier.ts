/**
 * A Notifier that records every call (with a copy of the request as it was sent) and can be told
 * to fail: transiently (an error status from the connector, 503) or permanently
 * (PermanentDeliveryError, as Teams' 403/404), per method and/or per person, a number of times.
 * The person of a call is who it reaches: the approver (or `channel:<id>`) for approval cards,
 * reminders and failure notes; the requester for outcome and team messages and their status card.
 */
import type { ApprovalMessage, ChatAddress, GuestRequest } from '../../../src/domain/guestRequest';
import { AwaitingInstallation, PermanentDeliveryError, type Notifier } from '../../../src/domain/ports';
import { channelApprovalKey } from '../../../src/domain/usecases/approval/routeApprovals';
import { sameId } from '../../../src/domain/lifecycle/authorization';
import { jsonCopy } from './jsonCopy';
import { yieldTurn } from './yieldTurn';

export type NotifierMethod = keyof Notifier;

export interface NotifierCall {
  readonly method: NotifierMethod;
  /** Who the call reaches (see above). */
  readonly person: string;
  /** The request as it was handed to the notifier. */
  readonly request: GuestRequest;
  /** The card a card update, reminder or approver note went to. */
  readonly message?: ApprovalMessage;
  readonly deciders?: readonly string[];
  /** An approval card sent without buttons (a Member invitation to an approver who may not decide it). */
  readonly readOnly?: true;
  /** The error the call failed with, if it was scripted to fail. */
  readonly error?: Error;
}

export interface FailureScope {
  readonly method?: NotifierMethod;
  readonly person?: string;
  /** How many matching calls fail (default: all of them until heal()). */
  readonly times?: number;
}

interface Rule {
  readonly scope: FailureScope;
  readonly error: () => Error;
  left: number;
}

export class RecordingNotifier implements Notifier {
  readonly calls: NotifierCall[] = [];
  private rules: Rule[] = [];
  private activities = 0;

  /** Matching calls fail with a plain error (the sweep is to try again). */
  failTransiently(scope: FailureScope = {}): this {
    // Teams answered with an error status: certainly not delivered, so it may be sent again.
    return this.failWith(() => Object.assign(new Error('Teams is unavailable (503)'), { statusCode: 503 }), scope);
  }

  /** Matching calls are postponed: the app was just installed for the person (AwaitingInstallation). */
  awaitInstallation(scope: FailureScope = {}): this {
    return this.failWith(() => new AwaitingInstallation(scope.person ?? ''), scope);
  }

  /** Matching calls fail with PermanentDeliveryError (blocked bot, chat gone). */
  failPermanently(scope: FailureScope = {}, status = 403): this {
    return this.failWith(() => new PermanentDeliveryError(status, `Teams refused the message (${status})`), scope);
  }

  failWith(error: () => Error, scope: FailureScope = {}): this {
    this.rules.push({ scope, error, left: scope.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  /** Forgets every scripted failure. */
  heal(): void {
    this.rules = [];
  }

  /** Calls that went through (not failed), optionally of one method and/or to one person. */
  delivered(method?: NotifierMethod, person?: string): NotifierCall[] {
    return this.callsOf(method, person).filter((call) => !call.error);
  }

  /** Every call, failed or not, optionally of one method and/or to one person. */
  callsOf(method?: NotifierMethod, person?: string): NotifierCall[] {
    return this.calls.filter((call) => (!method || call.method === method) && (!person || sameId(call.person, person)));
  }

  async sendApprovalCard(
    approverId: string,
    request: GuestRequest,
    via: ChatAddress,
    options: { readonly readOnly?: boolean } = {},
  ): Promise<ApprovalMessage> {
    await this.record({ method: 'sendApprovalCard', person: approverId, request, ...(options.readOnly ? { readOnly: true } : {}) });
    return {
      requestId: request.id,
      approverId,
      ...(options.readOnly ? { readOnly: true as const } : {}),
      address: { ...via, conversationId: `a:chat-with-${approverId}`, userId: approverId },
      activityId: `activity-${++this.activities}`,
    };
  }

  async postApprovalToChannel(
    channelId: string,
    request: GuestRequest,
    via: ChatAddress,
    deciders: readonly string[],
  ): Promise<ApprovalMessage> {
    await this.record({ method: 'postApprovalToChannel', person: channelApprovalKey(channelId), request, deciders: [...deciders] });
    return {
      requestId: request.id,
      approverId: channelApprovalKey(channelId),
      channelId,
      deciders: [...deciders],
      address: { ...via, conversationId: channelId },
      activityId: `activity-${++this.activities}`,
    };
  }

  async updateApprovalCard(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.record({ method: 'updateApprovalCard', person: message.approverId, request, message });
  }

  async updateRequesterCard(request: GuestRequest): Promise<void> {
    await this.record({ method: 'updateRequesterCard', person: request.requester.id, request });
  }

  async notifyRequester(request: GuestRequest): Promise<void> {
    await this.record({ method: 'notifyRequester', person: request.requester.id, request });
  }

  async notifyApprover(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.record({ method: 'notifyApprover', person: message.approverId, request, message });
  }

  async remindApprover(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.record({ method: 'remindApprover', person: message.approverId, request, message });
  }

  async notifyTeamMembership(request: GuestRequest): Promise<void> {
    await this.record({ method: 'notifyTeamMembership', person: request.requester.id, request });
  }

  async notifyApproversUnreachable(request: GuestRequest): Promise<void> {
    await this.record({ method: 'notifyApproversUnreachable', person: request.requester.id, request });
  }

  private async record(call: NotifierCall): Promise<void> {
    await yieldTurn();
    const rule = this.rules.find(
      (r) => r.left > 0 && (!r.scope.method || r.scope.method === call.method) && (!r.scope.person || sameId(r.scope.person, call.person)),
    );
    const error = rule ? (rule.left--, rule.error()) : undefined;
    this.calls.push({ ...call, request: jsonCopy(call.request), ...(error ? { error } : {}) });
    if (error) throw error;
  }
}
