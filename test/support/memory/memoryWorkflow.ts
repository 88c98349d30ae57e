/**
 * A Workflow built from the memory adapters with sensible defaults, for unit tests of the use
 * cases: two approvers (Ann, Ben), a requester (Rita) and an outsider (Olli); any guest domain
 * except the organisation's own (contoso.com) and a blocked one (blocked.example); no limits, no
 * approvers' channel, no teams unless asked for. Every adapter is handed back for scripting and
 * for assertions.
 */
import type { ChatAddress, GuestRequest, Person, Versioned } from '../../../src/domain/guestRequest';
import { ApproverUnion, StaticApprovers } from '../../../src/domain/lifecycle/authorization';
import type { DomainPolicy } from '../../../src/domain/policy/domainPolicy';
import type { RequesterLimits, Workflow } from '../../../src/domain/usecases/workflow';
import { CapturingLogger } from './capturingLogger';
import { ManualClock } from './manualClock';
import { MemoryLeases } from './memoryLeases';
import { MemoryRequestStore } from './memoryRequestStore';
import { MemoryPersonalChats } from './memoryPersonalChats';
import { MemoryTeamRegistry, ScriptedTeamGroups } from './memoryTeams';
import { RecordingNotifier } from './recordingNotifier';
import { ScriptedDirectory } from './scriptedDirectory';
import { SequentialIds } from './sequentialIds';

export const RITA: Person = { id: 'aaaaaaaa-0000-4000-8000-0000000000f1', name: 'Rita Requester' };
export const ANN: Person = { id: 'aaaaaaaa-0000-4000-8000-0000000000a1', name: 'Ann Approver' };
export const BEN: Person = { id: 'aaaaaaaa-0000-4000-8000-0000000000b1', name: 'Ben Approver' };
export const OLLI: Person = { id: 'aaaaaaaa-0000-4000-8000-0000000000d1', name: 'Olli Outsider' };
/** A member approver (with `memberApproverIds: [MIA.id]`): may decide Member invitations, and Guest ones. */
export const MIA: Person = { id: 'aaaaaaaa-0000-4000-8000-0000000000e1', name: 'Mia Memberapprover' };

export const DEFAULT_POLICY: DomainPolicy = { allowed: [], blocked: ['blocked.example'], organisation: ['contoso.com'] };
export const REDIRECT_URL = 'https://myapps.microsoft.com/?tenantid=tenant-1';

export function chatOf(person: Person): ChatAddress {
  return {
    serviceUrl: 'https://smba.example/emea/',
    channelId: 'msteams',
    conversationId: `a:chat-of-${person.id}`,
    tenantId: 'tenant-1',
    userId: person.id,
  };
}

export interface MemoryWorkflowOptions {
  readonly approverIds?: readonly string[];
  /** Member approvers (MEMBER_APPROVER_IDS): set = Member invitations on; they are approvers too. */
  readonly memberApproverIds?: readonly string[];
  readonly policy?: DomainPolicy;
  readonly limits?: RequesterLimits;
  readonly approvalChannelId?: string;
  readonly inviteLeaseMs?: number;
  /** Give the workflow a team registry and team groups (absent by default: the form offers no team). */
  readonly withTeams?: boolean;
  /** Where the clock starts. */
  readonly start?: string;
  readonly instanceId?: string;
}

export interface MemoryHouse {
  readonly wf: Workflow;
  readonly store: MemoryRequestStore;
  readonly leases: MemoryLeases;
  readonly notifier: RecordingNotifier;
  readonly directory: ScriptedDirectory;
  readonly clock: ManualClock;
  readonly ids: SequentialIds;
  readonly log: CapturingLogger;
  readonly teams: MemoryTeamRegistry;
  readonly teamGroups: ScriptedTeamGroups;
  readonly chats: MemoryPersonalChats;
}

export function memoryWorkflow(options: MemoryWorkflowOptions = {}): MemoryHouse {
  const clock = new ManualClock(options.start);
  const leases = new MemoryLeases(clock);
  // A request's leases ("invite-<id>", …) live beside the named ones, so tests see them all in one place.
  const store = new MemoryRequestStore(leases);
  const notifier = new RecordingNotifier();
  const directory = new ScriptedDirectory();
  const ids = new SequentialIds();
  const log = new CapturingLogger();
  const teams = new MemoryTeamRegistry();
  const teamGroups = new ScriptedTeamGroups();
  const approvers = new StaticApprovers(options.approverIds ?? [ANN.id, BEN.id]);
  const memberApprovers = options.memberApproverIds ? new StaticApprovers(options.memberApproverIds) : undefined;
  const chats = new MemoryPersonalChats();
  const wf: Workflow = {
    store,
    directory,
    notifier,
    approvers: memberApprovers ? new ApproverUnion([approvers, memberApprovers]) : approvers,
    ...(memberApprovers ? { memberApprovers } : {}),
    leases,
    clock,
    ids,
    policy: options.policy ?? DEFAULT_POLICY,
    inviteRedirectUrl: REDIRECT_URL,
    log,
    instanceId: options.instanceId ?? 'unit-test',
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.approvalChannelId ? { approvalChannelId: options.approvalChannelId } : {}),
    ...(options.inviteLeaseMs ? { inviteLeaseMs: options.inviteLeaseMs } : {}),
    ...(options.withTeams ? { teams, teamGroups } : {}),
    chats,
  };
  return { wf, store, leases, notifier, directory, clock, ids, log, teams, teamGroups, chats };
}

/** A request as submitRequest would have stored it (Pending, created now by Rita), with overrides. */
export function aRequest(house: MemoryHouse, overrides: Partial<GuestRequest> = {}): GuestRequest {
  const now = house.clock.now().toISOString();
  return {
    id: house.ids.newRequestId(),
    status: 'Pending',
    guest: { email: 'gina@fabrikam.example', displayName: 'Gina Guest', sendInvitationMessage: true },
    justification: 'Joint project',
    requester: RITA,
    requesterAddress: chatOf(RITA),
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/**
 * Stores a request directly (with its "submitted" entry), for tests that start later in its life;
 * approval cards for `cardsFor` (default: both approvers) are saved as routeApprovals would.
 */
export async function seedRequest(
  house: MemoryHouse,
  overrides: Partial<GuestRequest> = {},
  cardsFor: readonly Person[] = [ANN, BEN],
): Promise<Versioned<GuestRequest>> {
  const request = aRequest(house, overrides);
  const saved = await house.store.create(request, {
    audit: { requestId: request.id, at: request.createdAt, actor: request.requester, action: 'submitted', to: 'Pending' },
  });
  for (const approver of cardsFor) {
    await house.store.saveApprovalMessage({
      requestId: request.id,
      approverId: approver.id,
      address: chatOf(approver),
      activityId: `seeded-card-${approver.id}`,
    });
  }
  return saved;
}

/** The stored request (fails the test if it is gone). */
export async function stored(house: MemoryHouse, id: string): Promise<GuestRequest> {
  const found = await house.store.get(id);
  if (!found) throw new Error(`request ${id} is not stored`);
  return found.value;
}

/** The actions of a request's audit trail, in order. */
export async function trail(house: MemoryHouse, id: string): Promise<string[]> {
  return (await house.store.listAudit(id)).map((entry) => entry.action);
}
