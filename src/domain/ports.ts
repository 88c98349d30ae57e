/**
 * The ports the domain talks through. Adapters (Azure Tables, Graph, Teams) implement them; the
 * domain never learns which.
 */
import type { ApproverDirectory } from './lifecycle/authorization';
import type { ApprovalMessage, AuditEntry, ChatAddress, GuestRequest, InvitedUserType, RequestStatus, Versioned } from './guestRequest';
export type { RegisteredTeam, TeamGroups, TeamRegistry } from './teams';

/** Thrown by a store when a conditional write lost: someone else changed the record first. */
export class ConcurrencyConflict extends Error {
  constructor(readonly key: string) {
    super(`The record ${key} was changed by someone else`);
    this.name = 'ConcurrencyConflict';
  }
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly next?: string;
}

/** What a request write may carry besides the request. */
export interface WriteOptions {
  /** The version the caller read with the eTag it passes, if it has it: it saves a read. */
  readonly previous?: GuestRequest;
  /** Committed atomically with the write: both are stored or neither is. */
  readonly audit?: AuditEntry;
  /** A lease of this request taken or given up with the write (RequestLeases): no call of its own. */
  readonly lease?: LeaseChange;
}

/** The leases a request's own work holds: its approval fan-out, its invitation, its team step. */
export type RequestLeaseKind = 'route' | 'invite' | 'team';

/**
 * A lease change that rides on a request write. `take` succeeds only if nobody holds the lease (an
 * expired holder included: taking over is RequestLeases.tryAcquire's job); `release` only if the
 * lease is still the one this process took or last renewed. Neither makes the write fail: the
 * write is stored either way and `WriteResult.leaseTaken` says whether the take succeeded (a
 * release that could not ride along is left to RequestLeases.release).
 */
export interface LeaseChange {
  readonly take?: { readonly kind: RequestLeaseKind; readonly owner: string; readonly ttlMs: number };
  readonly release?: { readonly kind: RequestLeaseKind; readonly owner: string };
}

/** A stored request write: the new version, and for a write that took a lease whether it got it. */
export type WriteResult = Versioned<GuestRequest> & { readonly leaseTaken?: boolean };

/**
 * The cards are stored either way. With `unchangedSince`: `requestChanged` when the request was
 * written since that version (read it again), else the request's new eTag (its content is unchanged).
 */
export type CardsSaved = { readonly requestChanged: boolean; readonly requestEtag?: string };

/** A request as read, with its approval cards when they were asked for (one read for both). */
export type StoredRequest = Versioned<GuestRequest> & { readonly approvalMessages?: readonly ApprovalMessage[] };

/** How RequestStore.get reads (see there). */
export interface GetOptions {
  readonly withApprovalMessages?: boolean;
  readonly recent?: boolean;
}

/**
 * Leases on one request's work, kept with the request (so a request write can take or release one,
 * WriteOptions.lease). Same rules as Leases: expiring, fenced by owner and version on renewal.
 */
export interface RequestLeases {
  tryAcquire(requestId: string, kind: RequestLeaseKind, owner: string, ttlMs: number): Promise<boolean>;
  renew(requestId: string, kind: RequestLeaseKind, owner: string, ttlMs: number): Promise<boolean>;
  release(requestId: string, kind: RequestLeaseKind, owner: string): Promise<void>;
}

/** How many requests one person may have open, and send per 24 hours (0 = no limit). */
export interface RequesterLimits {
  readonly maxPending: number;
  readonly maxPerDay: number;
}

/** What `RequestStore.submit` did with a new request. */
export type SubmitOutcome =
  /** Stored, with its audit entry, and counted against its requester's limits. */
  | { readonly kind: 'created'; readonly request: WriteResult }
  /** A request with this id was already stored (a replayed submit): it is returned, nothing is written or counted. */
  | { readonly kind: 'existing'; readonly request: Versioned<GuestRequest> }
  /** Storing it would exceed a limit: nothing is written. */
  | { readonly kind: 'overLimit'; readonly limit: 'pending' | 'daily' };

export interface RequestStore {
  /** Leases on a request's own work, stored with it. */
  readonly leases: RequestLeases;
  /** Stores a new request; fails if the id exists. No limits are checked (see submit). */
  create(request: GuestRequest, options?: WriteOptions): Promise<WriteResult>;
  /**
   * Stores a new Pending request only if its requester stays within `limits`, counted atomically
   * across every process: however many submits run at once, the requester never has more than
   * `maxPending` requests in Pending, nor more than `maxPerDay` created in the 24 hours up to this
   * one's createdAt (0 = that limit is off). Requests that left Pending (decided, cancelled,
   * expired) no longer count as pending. If a request with this id already exists it is returned as
   * `existing` and counts nothing again: with ids derived from a form's one-time token
   * (IdGenerator.requestIdFor) a replayed submit, even a concurrent one, gives back the first request.
   * May throw ConcurrencyConflict when too many submits of one requester collide to decide in time.
   */
  submit(
    request: GuestRequest,
    options: { readonly audit: AuditEntry; readonly limits: RequesterLimits; readonly lease?: LeaseChange },
  ): Promise<SubmitOutcome>;
  /**
   * Optional: makes ready what this requester's next submit needs from storage (their limits), so
   * that the submit does not wait for it; called when their form is shown. Best effort: it never
   * fails, and a submit without it reads for itself.
   */
  prepareSubmit?(requesterId: string, limits: RequesterLimits): Promise<void>;
  /**
   * `withApprovalMessages`: the request's approval cards come with it, in the same read.
   * `recent`: a Pending request's version this process stored or read lately may be returned
   * without a read. It may be stale, so it is only for a caller that writes conditionally against
   * it and reads again before deciding anything else (conditionalUpdate.ts): a decision.
   */
  get(id: string, options?: GetOptions): Promise<StoredRequest | undefined>;
  /** Replaces the request only if its eTag is still `etag`; otherwise throws ConcurrencyConflict. */
  update(request: GuestRequest, etag: string, options?: WriteOptions): Promise<WriteResult>;
  /**
   * Open requests in a status, oldest first: those with work left for the bot (hasWorkLeft: Pending,
   * Approved, an outcome not yet told, a team step not finished). Finished requests are listed only
   * per requester. Served from an index of open requests, never a full scan.
   */
  listByStatus(status: RequestStatus, limit: number, cursor?: string, options?: ListOptions): Promise<Page<GuestRequest>>;
  /** Every open request (any status with work left), oldest first: the sweep's one walk. */
  listOpen(limit: number, cursor?: string, options?: ListOptions): Promise<Page<GuestRequest>>;
  /** One requester's requests, newest first. Served from an index, never a full scan. */
  listByRequester(requesterId: string, limit: number, cursor?: string): Promise<Page<GuestRequest>>;
  /** An audit entry that goes with no write (a refusal, a side effect); transitions use WriteOptions.audit. */
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(requestId: string): Promise<AuditEntry[]>;
  saveApprovalMessage(message: ApprovalMessage): Promise<void>;
  /**
   * Stores several of one request's approval cards at once (one transaction), giving up a lease
   * with them. Storing cards changes the request's eTag (not the request): a version held from
   * before them no longer writes, and whoever held it reads again and sees them.
   * `unchangedSince` (the request's eTag as the caller knows it) makes the same transaction tell
   * whether the request changed meanwhile; if it did, that change already retired the older
   * versions, and the cards are stored without moving the eTag again.
   */
  saveApprovalMessages(
    requestId: string,
    messages: readonly ApprovalMessage[],
    options?: { readonly release?: LeaseChange['release']; readonly unchangedSince?: string },
  ): Promise<CardsSaved>;
  listApprovalMessages(requestId: string): Promise<ApprovalMessage[]>;
}

export interface InvitationRequest {
  readonly email: string;
  readonly displayName?: string;
  readonly redirectUrl: string;
  readonly sendInvitationMessage: boolean;
  readonly customizedMessageBody?: string;
  /** The invitation email's language (BCP 47); absent = Graph's default, English. */
  readonly messageLanguage?: string;
  /** One more recipient of the invitation email. */
  readonly ccEmail?: string;
  readonly sponsorId: string;
  /** Graph's invitedUserType: 'Member' only for a Member request decided by a member approver. */
  readonly userType: InvitedUserType;
}

export interface CreatedInvitation {
  readonly redeemUrl: string;
  readonly invitedUserId: string;
  readonly status: string;
}

/** A refusal from the directory that retrying will not fix (a 4xx other than 429). */
export class PermanentInvitationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = 'PermanentInvitationError';
  }
}

/** The directory gave up answering within the retry budget (429/5xx/network): try again later. */
export class TransientInvitationError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientInvitationError';
  }
}

/** A user the directory already has for an address (member, or guest invited before). */
export interface DirectoryUser {
  readonly id: string;
  readonly displayName: string | null;
  /** "Member" or "Guest". */
  readonly userType: string | null;
  /** For guests: "PendingAcceptance" or "Accepted". */
  readonly externalUserState: string | null;
}

export interface Directory {
  /** Creates the invitation (POST /invitations). Throws Permanent/TransientInvitationError. */
  invite(request: InvitationRequest): Promise<CreatedInvitation>;
  /** Users who already have this address (mail, otherMails, proxyAddresses, userPrincipalName). */
  findUsersByEmail(email: string): Promise<readonly DirectoryUser[]>;
}

export interface ListOptions {
  /** Only requests created at or after this time (ISO 8601): a bounded range of the index. */
  readonly createdSince?: string;
}

/**
 * Teams refused a message for good (e.g. 403: the user blocked or uninstalled the bot, 404: the chat
 * is gone). Retrying will not help; the request records it and moves on.
 */
export class PermanentDeliveryError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * Delivery postponed, not failed: the person could not be reached, so the app was installed for
 * them through Graph a moment ago. Teams announces the installation (installationUpdate) with the
 * person's own chat; the delivery follows then, or at the latest with the next sweep.
 */
export class AwaitingInstallation extends Error {
  constructor(readonly userId: string) {
    super('The app was just installed for this person; the message follows when Teams announces the installation');
    this.name = 'AwaitingInstallation';
  }
}

/**
 * Each person's own 1:1 chat with the bot (their conversation reference: their serviceUrl, their
 * conversation id), keyed by canonical Entra object id. Stored when the app is installed for them,
 * refreshed by their personal-chat activity, removed on uninstall. Every proactive message to a
 * person goes there.
 */
export interface PersonalChats {
  get(userId: string): Promise<ChatAddress | undefined>;
  /** Stores or refreshes the person's chat; implementations may skip a write that changes nothing. */
  save(userId: string, address: ChatAddress): Promise<void>;
  /** Forgets it (the app was uninstalled); a no-op when none is stored. */
  remove(userId: string): Promise<void>;
}

/** What the domain asks Teams to do. Card rendering is the adapter's business. */
export interface Notifier {
  /**
   * Posts the approval card in the approver's own chat (their stored conversation reference), else
   * in one opened proactively through `via`'s service URL (the bot's known one), else, when Teams
   * refuses because the app is not installed for them, after installing it (AwaitingInstallation
   * until Teams announces it). Returns where it landed. PermanentDeliveryError: they cannot be reached.
   * `readOnly`: the card has no buttons (and the returned message says so, for later updates).
   */
  sendApprovalCard(
    approverId: string,
    request: GuestRequest,
    via: ChatAddress,
    options?: { readonly readOnly?: boolean },
  ): Promise<ApprovalMessage>;
  /**
   * Posts the approval card to a Teams channel: everyone there sees it read-only, and `deciders`
   * (at most 60, a Teams limit) get their own view with the buttons (Universal Actions refresh).
   */
  postApprovalToChannel(channelId: string, request: GuestRequest, via: ChatAddress, deciders: readonly string[]): Promise<ApprovalMessage>;
  /** Replaces an approval card in place with the request's current state. */
  updateApprovalCard(message: ApprovalMessage, request: GuestRequest): Promise<void>;
  /**
   * Replaces the requester's status card (request.requesterCardId, in requesterAddress) with the
   * request's current state; does nothing when the request has no such card.
   */
  updateRequesterCard(request: GuestRequest): Promise<void>;
  /** Tells the requester the outcome (redeem link, denial reason, failure) in their own chat. */
  notifyRequester(request: GuestRequest): Promise<void>;
  /** Tells one approver (in the chat that holds their approval card) that the invitation failed. */
  notifyApprover(message: ApprovalMessage, request: GuestRequest): Promise<void>;
  /** Reminds one approver (in the chat that holds their approval card) that a request still waits. */
  remindApprover(message: ApprovalMessage, request: GuestRequest): Promise<void>;
  /** Tells the requester, in their own chat, whether the guest was added to the request's team. */
  notifyTeamMembership(request: GuestRequest): Promise<void>;
  /** Tells the requester that none of the approvers can be reached in Teams: the request waits. */
  notifyApproversUnreachable(request: GuestRequest): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newRequestId(): string;
  /** An unguessable one-off token (lease owners, the request form's submission token). */
  newToken(): string;
  /**
   * The request id for one requester's submission of one form (its one-time token): the same pair
   * gives the same id in every process, different pairs different ids, and the id reveals neither.
   */
  requestIdFor(requesterId: string, submissionId: string): string;
}

/**
 * Named, expiring leases held in shared storage, so that one process among many does a job
 * (a sweep, one request's invitation) at a time. Correctness never relies on in-memory locks.
 */
export interface Leases {
  /** Takes or renews the named lease for ttlMs if it is free, expired, or already ours. */
  tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * Extends a lease this instance acquired (or last renewed) for ttlMs, fenced by owner AND version:
   * true only if nobody has written the lease since our own last write (it may have passed its
   * expiry meanwhile, as long as nobody took it). False when it was taken, released or never ours;
   * throws when storage refuses. The holder must stop its work on anything but true.
   */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if we hold it; a no-op otherwise. */
  release(name: string, owner: string): Promise<void>;
}

/** Structured logging, pino-shaped so the real logger fits without an adapter. Never pass secrets. */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Who may decide (ApproverDirectory) and who receives approval cards. */
export interface ApproverRoster extends ApproverDirectory {
  /** The people who receive approval cards (object ids). */
  list(): Promise<readonly string[]>;
}
