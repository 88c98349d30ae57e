/**
 * The sandbox tenant's Teams app catalog and the apps installed in users' personal scope: enough
 * for the bot's proactive installation (GET /appCatalogs/teamsApps, POST/GET
 * /users/{id}/teamwork/installedApps, GET …/installedApps/{id}/chat), with controls to mark people
 * as having the app or not and to refuse installing it for some (403 policy, 404 no such user).
 */
import { randomUUID } from 'node:crypto';

export interface CatalogApp {
  readonly id: string;
  readonly externalId: string;
  readonly displayName: string;
  readonly distributionMethod: 'organization';
}

export interface UserInstallation {
  readonly id: string;
  readonly userId: string;
  readonly teamsAppId: string;
  /** The 1:1 chat between the user and the app's bot. */
  readonly chatId: string;
}

export class TeamsAppCatalog {
  private readonly apps = new Map<string, CatalogApp>();
  /** By lower-case user id, then installation id. */
  private readonly installed = new Map<string, Map<string, UserInstallation>>();
  private readonly refusals = new Map<string, 403 | 404>();
  /** Every POST …/installedApps that installed something, in order. */
  readonly installs: UserInstallation[] = [];

  addApp(externalId: string, displayName = 'Guest Access'): CatalogApp {
    const existing = this.byExternalId(externalId);
    if (existing) return existing;
    const app: CatalogApp = { id: randomUUID(), externalId, displayName, distributionMethod: 'organization' };
    this.apps.set(app.id, app);
    return app;
  }

  app(catalogId: string): CatalogApp | undefined {
    return this.apps.get(catalogId);
  }

  byExternalId(externalId: string): CatalogApp | undefined {
    return [...this.apps.values()].find((app) => app.externalId.toLowerCase() === externalId.toLowerCase());
  }

  installationsOf(userId: string): UserInstallation[] {
    return [...(this.installed.get(userId.toLowerCase())?.values() ?? [])];
  }

  installationOf(userId: string, catalogId: string): UserInstallation | undefined {
    return this.installationsOf(userId).find((i) => i.teamsAppId === catalogId);
  }

  install(userId: string, catalogId: string): UserInstallation {
    const existing = this.installationOf(userId, catalogId);
    if (existing) return existing;
    const installation: UserInstallation = {
      id: randomUUID(),
      userId,
      teamsAppId: catalogId,
      chatId: `19:${userId.toLowerCase()}_${catalogId}@unq.gbl.spaces`,
    };
    const mine = this.installed.get(userId.toLowerCase()) ?? new Map<string, UserInstallation>();
    mine.set(installation.id, installation);
    this.installed.set(userId.toLowerCase(), mine);
    return installation;
  }

  uninstall(userId: string, catalogId: string): void {
    const mine = this.installed.get(userId.toLowerCase());
    for (const [id, installation] of mine ?? []) if (installation.teamsAppId === catalogId) mine!.delete(id);
  }

  /** Installing for this user is refused with `status` (undefined: allowed again). */
  refuse(userId: string, status: 403 | 404 | undefined): void {
    if (status === undefined) this.refusals.delete(userId.toLowerCase());
    else this.refusals.set(userId.toLowerCase(), status);
  }

  refusalFor(userId: string): 403 | 404 | undefined {
    return this.refusals.get(userId.toLowerCase());
  }

  clear(): void {
    this.apps.clear();
    this.installed.clear();
    this.refusals.clear();
    this.installs.length = 0;
  }
}
