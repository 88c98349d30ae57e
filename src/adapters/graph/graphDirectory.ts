/**
 * The domain's Directory, backed by Microsoft Graph v1.0 (or the local Graph sandbox, which
 * speaks the same protocol). Every call goes through the retry policy in retry.ts; invitations
 * are also paced process-wide (pacer.ts). Redeem URLs and tokens are never logged.
 */
import { randomUUID } from 'node:crypto';
import { TransientInvitationError, type CreatedInvitation, type Directory, type InvitationRequest } from '../../domain/ports';
import { describeInvitationError } from './graphErrors';
import { sendGraphRequest, type GraphHttpResponse } from './graphHttp';
import type { Pacer } from './pacer';
import {
  callGraph,
  retryEnvironment,
  type GraphCall,
  type GraphLogger,
  type GraphResponse,
  type RetryEnvironment,
  type RetryPolicy,
} from './retry';

export interface GraphDirectoryOptions {
  /** Graph root including the version, e.g. https://graph.microsoft.com/v1.0. */
  readonly baseUrl: string;
  /** Undefined (or resolving to undefined) = send no Authorization header (local sandbox). */
  readonly getToken?: () => Promise<string | undefined>;
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly logger?: GraphLogger;
  /** Paces invitations (INVITE_CONCURRENCY, INVITES_PER_SECOND); null turns pacing off. */
  readonly pacer: Pacer | null;
  /** Monotonic milliseconds for the retry budget (tests may pass a fake clock with a fake sleep). */
  readonly now?: () => number;
  readonly random?: () => number;
}

/** A directory user as the look-ups return it. */
export interface DirectoryUser {
  readonly id: string;
  readonly displayName: string | null;
  readonly mail: string | null;
  readonly userPrincipalName: string | null;
  readonly userType: string | null;
  readonly externalUserState: string | null;
}

export type AddGroupMemberResult = 'added' | 'already-member';

const USER_FIELDS = 'id,displayName,mail,userPrincipalName,userType,externalUserState';
const MAX_PAGES = 100;

export class GraphDirectory implements Directory {
  private readonly baseUrl: string;
  private readonly retry: RetryEnvironment;
  private readonly pacer: Pacer | null;

  constructor(private readonly options: GraphDirectoryOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = retryEnvironment(options);
    this.pacer = options.pacer;
  }

  /** POST /invitations with exactly the body of docs/protocol.md §4. */
  async invite(request: InvitationRequest): Promise<CreatedInvitation> {
    const body = {
      invitedUserEmailAddress: request.email,
      ...(request.displayName ? { invitedUserDisplayName: request.displayName } : {}),
      inviteRedirectUrl: request.redirectUrl,
      sendInvitationMessage: request.sendInvitationMessage,
      ...messageInfo(request),
      invitedUserType: request.userType,
      invitedUserSponsors: [{ id: request.sponsorId }],
    };
    const response = await this.call({
      operation: 'invite',
      method: 'POST',
      url: `${this.baseUrl}/invitations`,
      body,
      paced: true,
      describe: (error) => describeInvitationError(error, request.email),
    });
    const created = readInvitation(response.body);
    if (!created) {
      // Created, but we cannot tell the link: an outbox retry makes Graph resend to the same user.
      throw new TransientInvitationError('Microsoft Graph answered the invitation without a redeem URL or invited user id.');
    }
    this.options.logger?.info({ operation: 'invite', invitedUserId: created.invitedUserId, status: created.status }, 'Guest invited');
    return created;
  }

  /**
   * Users an address already identifies, by Microsoft's recommended look-up: mail, otherMails,
   * proxyAddresses (smtp:) and userPrincipalName. Empty when nobody has it.
   */
  async findUsersByEmail(email: string): Promise<DirectoryUser[]> {
    const literal = email.trim().replace(/'/g, "''");
    const filter = [
      `mail eq '${literal}'`,
      `otherMails/any(x:x eq '${literal}')`,
      `proxyAddresses/any(x:x eq 'smtp:${literal}')`,
      `userPrincipalName eq '${literal}'`,
    ].join(' or ');
    const url = `${this.baseUrl}/users?$filter=${encodeURIComponent(filter)}&$select=${USER_FIELDS}`;
    const items = await this.listAll('findUsersByEmail', url);
    return items.flatMap((item) => {
      const user = readUser(item);
      return user ? [user] : [];
    });
  }

  /** POST /groups/{id}/members/$ref. Already being a member is an answer, not an error (retries may repeat the add). */
  async addGroupMember(groupId: string, userId: string): Promise<AddGroupMemberResult> {
    const response = await this.call({
      operation: 'addGroupMember',
      method: 'POST',
      url: `${this.baseUrl}/groups/${encodeURIComponent(groupId)}/members/$ref`,
      body: { '@odata.id': `${this.baseUrl}/directoryObjects/${encodeURIComponent(userId)}` },
      accept: (error) => error.status === 400 && /already exist/i.test(error.message),
    });
    return response.status < 300 ? 'added' : 'already-member';
  }

  /** Ids of the users in the group, nested groups included (the groups themselves are left out). */
  async listTransitiveMemberIds(groupId: string): Promise<string[]> {
    const url = `${this.baseUrl}/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id&$top=999`;
    const items = await this.listAll('listTransitiveMemberIds', url);
    return items.flatMap((item) => {
      if (!isRecord(item) || typeof item.id !== 'string') return [];
      const type = item['@odata.type'];
      return type === undefined || type === '#microsoft.graph.user' ? [item.id] : [];
    });
  }

  /** The catalog id of the organisation's app whose manifest id is `externalId` (GET /appCatalogs/teamsApps), if it is there. */
  async findCatalogAppId(externalId: string): Promise<string | undefined> {
    const filter = `externalId eq '${externalId.replace(/'/g, "''")}'`;
    const items = await this.listAll('findCatalogApp', `${this.baseUrl}/appCatalogs/teamsApps?$filter=${encodeURIComponent(filter)}`);
    const app = items.find((item) => isRecord(item) && typeof item.id === 'string');
    return isRecord(app) ? (app.id as string) : undefined;
  }

  /** POST /users/{id}/teamwork/installedApps. 409 = installed already: an answer, not an error. */
  async installAppForUser(userId: string, catalogAppId: string): Promise<'installed' | 'already-installed'> {
    const response = await this.call({
      operation: 'installAppForUser',
      method: 'POST',
      url: `${this.baseUrl}/users/${encodeURIComponent(userId)}/teamwork/installedApps`,
      body: { 'teamsApp@odata.bind': `${this.baseUrl}/appCatalogs/teamsApps/${encodeURIComponent(catalogAppId)}` },
      accept: (error) => error.status === 409,
    });
    return response.status === 409 ? 'already-installed' : 'installed';
  }

  /** The id of the installation of the app `externalId` in the user's personal scope, if installed. */
  async findUserInstallation(userId: string, externalId: string): Promise<string | undefined> {
    const filter = `teamsApp/externalId eq '${externalId.replace(/'/g, "''")}'`;
    const url = `${this.baseUrl}/users/${encodeURIComponent(userId)}/teamwork/installedApps?$expand=teamsAppDefinition&$filter=${encodeURIComponent(filter)}`;
    const items = await this.listAll('findUserInstallation', url);
    const found = items.find((item) => isRecord(item) && typeof item.id === 'string');
    return isRecord(found) ? (found.id as string) : undefined;
  }

  /** The id of the 1:1 chat between the user and the installed app's bot (GET …/installedApps/{id}/chat). */
  async installationChatId(userId: string, installationId: string): Promise<string | undefined> {
    const response = await this.call({
      operation: 'installationChat',
      method: 'GET',
      url: `${this.baseUrl}/users/${encodeURIComponent(userId)}/teamwork/installedApps/${encodeURIComponent(installationId)}/chat`,
    });
    const body = response.body;
    return isRecord(body) && typeof body.id === 'string' ? body.id : undefined;
  }

  /** Follows @odata.nextLink (Graph's links, never our own) until the last page. */
  private async listAll(operation: string, firstUrl: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let url: string | undefined = firstUrl;
    for (let pages = 0; url && pages < MAX_PAGES; pages++) {
      const response = await this.call({ operation, method: 'GET', url });
      const body = isRecord(response.body) ? response.body : {};
      if (Array.isArray(body.value)) items.push(...(body.value as unknown[]));
      url = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
    }
    return items;
  }

  private call(spec: {
    operation: string;
    method: 'GET' | 'POST';
    url: string;
    body?: unknown;
    paced?: boolean;
    describe?: GraphCall['describe'];
    accept?: GraphCall['accept'];
  }): Promise<GraphResponse> {
    // One id for the logical call, kept across retries so Graph support can correlate them.
    const clientRequestId = randomUUID();
    const send = async (signal: AbortSignal, attempt: number): Promise<GraphHttpResponse> => {
      const headers: Record<string, string> = { Accept: 'application/json', 'client-request-id': clientRequestId };
      if (attempt > 1) headers['Retry-Attempt'] = String(attempt - 1);
      if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
      const token = await this.token();
      if (token) headers.Authorization = `Bearer ${token}`;
      const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
      return sendGraphRequest(spec.url, { method: spec.method, headers, signal, ...(body === undefined ? {} : { body }) });
    };
    const pacer = spec.paced ? this.pacer : null;
    return callGraph(
      {
        operation: spec.operation,
        send,
        describe: spec.describe,
        accept: spec.accept,
        ...(pacer ? { gate: (attempt) => pacer.run(attempt) } : {}),
      },
      this.retry,
    );
  }

  private async token(): Promise<string | undefined> {
    if (!this.options.getToken) return undefined;
    try {
      return await this.options.getToken();
    } catch (error) {
      // Not retried here: the identity library retries its own calls. The outbox tries again later.
      throw new TransientInvitationError(`Could not get an access token for Microsoft Graph: ${(error as Error).message}`);
    }
  }
}

function readInvitation(body: unknown): CreatedInvitation | undefined {
  if (!isRecord(body) || typeof body.inviteRedeemUrl !== 'string' || !isRecord(body.invitedUser)) return undefined;
  const invitedUserId = body.invitedUser.id;
  if (typeof invitedUserId !== 'string' || invitedUserId === '') return undefined;
  return {
    redeemUrl: body.inviteRedeemUrl,
    invitedUserId,
    status: typeof body.status === 'string' ? body.status : 'PendingAcceptance',
  };
}

function readUser(item: unknown): DirectoryUser | undefined {
  if (!isRecord(item) || typeof item.id !== 'string') return undefined;
  const text = (key: string): string | null => (typeof item[key] === 'string' ? item[key] : null);
  return {
    id: item.id,
    displayName: text('displayName'),
    mail: text('mail'),
    userPrincipalName: text('userPrincipalName'),
    userType: text('userType'),
    externalUserState: text('externalUserState'),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** invitedUserMessageInfo, only with what the request sets (absent entirely when nothing is). */
function messageInfo(request: InvitationRequest): { invitedUserMessageInfo?: Record<string, unknown> } {
  const info: Record<string, unknown> = {};
  if (request.customizedMessageBody) info.customizedMessageBody = request.customizedMessageBody;
  if (request.messageLanguage) info.messageLanguage = request.messageLanguage;
  if (request.ccEmail) info.ccRecipients = [{ emailAddress: { address: request.ccEmail } }];
  return Object.keys(info).length > 0 ? { invitedUserMessageInfo: info } : {};
}
