/**
 * A Directory whose answers the test scripts per guest address: invite answers a created
 * invitation (the default), or throws PermanentInvitationError / TransientInvitationError;
 * findUsersByEmail answers the users scripted (default none) or throws. Answers are used in
 * order and the last one repeats. Every call is recorded.
 */
import {
  PermanentInvitationError,
  TransientInvitationError,
  type CreatedInvitation,
  type Directory,
  type DirectoryUser,
  type InvitationRequest,
} from '../../../src/domain/ports';
import { yieldTurn } from './yieldTurn';

export type InviteAnswer = CreatedInvitation | Error;
export type LookupAnswer = readonly DirectoryUser[] | Error;

export class ScriptedDirectory implements Directory {
  readonly invites: InvitationRequest[] = [];
  readonly lookups: string[] = [];
  private readonly inviteAnswers = new Map<string, InviteAnswer[]>();
  private readonly lookupAnswers = new Map<string, LookupAnswer[]>();
  private created = 0;

  /** What invite answers for this address, call after call (the last answer repeats). */
  answerInvite(email: string, ...answers: InviteAnswer[]): this {
    this.inviteAnswers.set(email.toLowerCase(), answers);
    return this;
  }

  /** What findUsersByEmail answers for this address, call after call (the last answer repeats). */
  answerLookup(email: string, ...answers: LookupAnswer[]): this {
    this.lookupAnswers.set(email.toLowerCase(), answers);
    return this;
  }

  /** Invitations asked for this address (case-insensitively). */
  invitesFor(email: string): InvitationRequest[] {
    return this.invites.filter((invite) => invite.email.toLowerCase() === email.toLowerCase());
  }

  async invite(request: InvitationRequest): Promise<CreatedInvitation> {
    await yieldTurn();
    this.invites.push({ ...request });
    const answer = next(this.inviteAnswers, request.email);
    if (answer instanceof Error) throw answer;
    if (answer) return answer;
    const n = ++this.created;
    return { redeemUrl: `https://invitations.example/redeem?n=${n}`, invitedUserId: `guest-user-${n}`, status: 'PendingAcceptance' };
  }

  async findUsersByEmail(email: string): Promise<readonly DirectoryUser[]> {
    await yieldTurn();
    this.lookups.push(email);
    const answer = next(this.lookupAnswers, email);
    if (answer instanceof Error) throw answer;
    return answer ?? [];
  }
}

function next<T>(answers: Map<string, T[]>, email: string): T | undefined {
  const queue = answers.get(email.toLowerCase());
  if (!queue || queue.length === 0) return undefined;
  return queue.length > 1 ? queue.shift() : queue[0];
}

/** Graph's refusal that retrying will not fix (say, an address its policy rejects). */
export function permanentRefusal(
  code = 'BadRequest',
  httpStatus = 400,
  message = 'The invited user email address is invalid.',
): PermanentInvitationError {
  return new PermanentInvitationError(code, message, httpStatus);
}

/** Graph not answering within its retry budget (429/5xx/network). */
export function transientFailure(message = 'Graph answered 503 after every retry'): TransientInvitationError {
  return new TransientInvitationError(message);
}
