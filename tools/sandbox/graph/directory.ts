/**
 * The sandbox tenant's directory: users (members and invited guests) and groups. Just enough of
 * Entra ID to answer invitations, user look-ups and group membership like Graph does.
 */
import { randomUUID } from 'node:crypto';
import { normalizeEmail } from './emailAddress';

export interface SandboxUser {
  readonly id: string;
  displayName: string | null;
  mail: string | null;
  otherMails: string[];
  proxyAddresses: string[];
  userPrincipalName: string;
  userType: 'Member' | 'Guest';
  /** null for the tenant's own people; "PendingAcceptance"/"Accepted" for invited users. */
  externalUserState: string | null;
  readonly createdDateTime: string;
}

export interface SandboxGroup {
  readonly id: string;
  displayName: string;
  /** Direct members: user or group ids, in the order they were added. */
  readonly memberIds: string[];
}

export interface UserSeed {
  readonly id?: string;
  readonly displayName?: string | null;
  readonly mail?: string | null;
  readonly otherMails?: readonly string[];
  readonly proxyAddresses?: readonly string[];
  readonly userPrincipalName?: string;
  readonly userType?: 'Member' | 'Guest';
  readonly externalUserState?: string | null;
}

export interface GroupSeed {
  readonly id?: string;
  readonly displayName?: string;
  readonly memberIds?: readonly string[];
}

export type AddMemberResult = 'added' | 'already-member' | 'no-such-group' | 'no-such-object';

export interface DirectoryObjectRef {
  readonly type: 'user' | 'group';
  readonly id: string;
  readonly displayName: string | null;
}

export class SandboxDirectory {
  private readonly users = new Map<string, SandboxUser>();
  private readonly groups = new Map<string, SandboxGroup>();

  constructor(readonly tenantDomain: string) {}

  clear(): void {
    this.users.clear();
    this.groups.clear();
  }

  addUser(seed: UserSeed): SandboxUser {
    const id = seed.id ?? randomUUID();
    if (this.users.has(id) || this.groups.has(id)) throw new Error(`A directory object with id ${id} already exists`);
    const mail = seed.mail ?? null;
    const upn = seed.userPrincipalName ?? (mail ? `${mail.split('@')[0]}@${this.tenantDomain}` : `${id}@${this.tenantDomain}`);
    const user: SandboxUser = {
      id,
      displayName: seed.displayName ?? null,
      mail,
      otherMails: [...(seed.otherMails ?? [])],
      proxyAddresses: [...(seed.proxyAddresses ?? (mail ? [`SMTP:${mail}`] : []))],
      userPrincipalName: upn,
      userType: seed.userType ?? 'Member',
      externalUserState: seed.externalUserState ?? null,
      createdDateTime: new Date().toISOString().slice(0, 19) + 'Z',
    };
    this.users.set(id, user);
    return user;
  }

  addGroup(seed: GroupSeed): SandboxGroup {
    const id = seed.id ?? randomUUID();
    if (this.users.has(id) || this.groups.has(id)) throw new Error(`A directory object with id ${id} already exists`);
    const group: SandboxGroup = { id, displayName: seed.displayName ?? `Group ${id.slice(0, 8)}`, memberIds: [] };
    this.groups.set(id, group);
    for (const memberId of seed.memberIds ?? []) {
      const result = this.addMember(id, memberId);
      if (result === 'no-such-object') throw new Error(`Group member ${memberId} does not exist`);
    }
    return group;
  }

  /** By object id or, like Graph's /users/{id | userPrincipalName}, by UPN. */
  getUser(idOrUpn: string): SandboxUser | undefined {
    const byId = this.users.get(idOrUpn);
    if (byId) return byId;
    const upn = idOrUpn.toLowerCase();
    return [...this.users.values()].find((user) => user.userPrincipalName.toLowerCase() === upn);
  }

  getGroup(id: string): SandboxGroup | undefined {
    return this.groups.get(id);
  }

  listUsers(): SandboxUser[] {
    return [...this.users.values()];
  }

  /** The user that an address already identifies (mail, otherMails or an smtp proxy address). */
  findByAddress(email: string): SandboxUser | undefined {
    const wanted = normalizeEmail(email);
    return this.listUsers().find(
      (user) =>
        (user.mail !== null && normalizeEmail(user.mail) === wanted) ||
        user.otherMails.some((other) => normalizeEmail(other) === wanted) ||
        user.proxyAddresses.some((proxy) => proxy.toLowerCase() === `smtp:${wanted}`),
    );
  }

  /**
   * The guest user an invitation stands for: created on the first invitation of an address,
   * found again on later ones (Graph then resends rather than creating a second user).
   */
  guestFor(email: string, displayName: string | null, userType: 'Guest' | 'Member'): SandboxUser {
    const existing = this.findByAddress(email);
    if (existing) {
      if (displayName && !existing.displayName) existing.displayName = displayName;
      return existing;
    }
    const [local = '', domain = ''] = email.split('@');
    return this.addUser({
      displayName: displayName ?? local,
      mail: email,
      otherMails: [email],
      proxyAddresses: [`SMTP:${email}`],
      // alice@contoso.com → alice_contoso.com#EXT#@fabrikam.onmicrosoft.com
      userPrincipalName: `${local}_${domain}`.toLowerCase() + `#EXT#@${this.tenantDomain}`,
      userType,
      externalUserState: 'PendingAcceptance',
    });
  }

  addMember(groupId: string, objectId: string): AddMemberResult {
    const group = this.groups.get(groupId);
    if (!group) return 'no-such-group';
    if (!this.users.has(objectId) && !this.groups.has(objectId)) return 'no-such-object';
    if (group.memberIds.includes(objectId)) return 'already-member';
    group.memberIds.push(objectId);
    return 'added';
  }

  directMembers(groupId: string): DirectoryObjectRef[] | undefined {
    const group = this.groups.get(groupId);
    return group?.memberIds.map((id) => this.ref(id));
  }

  /** Members of the group and of every group nested in it (nested groups included), each once. */
  transitiveMembers(groupId: string): DirectoryObjectRef[] | undefined {
    if (!this.groups.has(groupId)) return undefined;
    const seen = new Set<string>([groupId]);
    const result: DirectoryObjectRef[] = [];
    const queue = [groupId];
    while (queue.length > 0) {
      const group = this.groups.get(queue.shift() as string);
      for (const memberId of group?.memberIds ?? []) {
        if (seen.has(memberId)) continue;
        seen.add(memberId);
        result.push(this.ref(memberId));
        if (this.groups.has(memberId)) queue.push(memberId);
      }
    }
    return result;
  }

  private ref(id: string): DirectoryObjectRef {
    const group = this.groups.get(id);
    if (group) return { type: 'group', id, displayName: group.displayName };
    return { type: 'user', id, displayName: this.users.get(id)?.displayName ?? null };
  }
}
