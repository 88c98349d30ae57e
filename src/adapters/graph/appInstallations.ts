/**
 * Installs the bot's Teams app in a person's personal scope through Graph, so that the bot can
 * reach someone who never opened it (TEAMS_APP_ID; Graph application permission
 * TeamsAppInstallation.ReadWriteSelfForUser.All): the app's catalog id is looked up once
 * (GET /appCatalogs/teamsApps?$filter=externalId eq '<id>') and cached, then
 * POST /users/{id}/teamwork/installedApps. 409 means it is installed already: the installation's
 * chat (GET …/installedApps/{installationId}/chat) is where to post.
 *
 * Errors are the Graph client's: PermanentInvitationError for a refusal retrying will not fix
 * (403 policy, 404 no such user), anything else transient.
 */
import { PermanentInvitationError } from '../../domain/ports';
import type { GraphDirectory } from './graphDirectory';

export type InstallOutcome = { readonly kind: 'installed' } | { readonly kind: 'alreadyInstalled'; readonly chatId?: string };

type InstallGraph = Pick<GraphDirectory, 'findCatalogAppId' | 'installAppForUser' | 'findUserInstallation' | 'installationChatId'>;

export class GraphAppInstaller {
  private catalogId: Promise<string> | undefined;

  constructor(
    private readonly graph: InstallGraph,
    /** The app's manifest id (TEAMS_APP_ID), its externalId in the catalog. */
    readonly teamsAppId: string,
  ) {}

  async install(userId: string): Promise<InstallOutcome> {
    const catalogId = await this.catalogAppId();
    if ((await this.graph.installAppForUser(userId, catalogId)) === 'installed') return { kind: 'installed' };
    const installationId = await this.graph.findUserInstallation(userId, this.teamsAppId);
    if (!installationId) return { kind: 'alreadyInstalled' };
    return { kind: 'alreadyInstalled', chatId: await this.graph.installationChatId(userId, installationId) };
  }

  /** Looked up once per process; a failed look-up is tried again next time. */
  catalogAppId(): Promise<string> {
    this.catalogId ??= this.graph.findCatalogAppId(this.teamsAppId).then((id) => {
      if (!id) {
        throw new PermanentInvitationError(
          'AppNotInCatalog',
          `No app with the id ${this.teamsAppId} (TEAMS_APP_ID) is in the organisation's Teams app catalog: upload the app package in the Teams admin center.`,
          404,
        );
      }
      return id;
    });
    this.catalogId.catch(() => (this.catalogId = undefined));
    return this.catalogId;
  }
}
