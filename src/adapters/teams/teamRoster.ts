/**
 * Approvers' Teams user ids (MRIs, "29:…") from their Entra object ids, read from the roster of the
 * team that holds the approvers' channel (GET /v3/conversations/{channel}/pagedmembers through
 * botbuilder's TeamsInfo). Universal Actions' `refresh.userIds` takes MRIs, not object ids: with
 * object ids the approvers would never get their buttons. Cached per channel; an id missing from
 * a cached roster re-reads it, at most once a minute.
 */
import { CloudAdapter, ConfigurationServiceClientCredentialFactory, TeamsInfo, type TeamsChannelAccount } from 'botbuilder';
import { DeadlineBotFrameworkAuthentication } from './connectorDeadline';
import type { ChatAddress } from '../../domain/guestRequest';
import { idKey } from '../../domain/identity';
import { sharedWithinBy } from '../system/deadlines';
import { RecentMap } from '../system/recentMap';
import { surfacingErrors } from './openConversation';

/** Who to look up, and whom the roster does not have. */
export interface ResolvedMembers {
  /** MRIs, in the order of the object ids given, of those in the team. */
  readonly mris: readonly string[];
  /** Object ids not in the team: they get no buttons. */
  readonly missing: readonly string[];
}

export type RosterReader = (channelId: string, via: ChatAddress) => Promise<readonly TeamsChannelAccount[]>;

const PAGE_SIZE = 500;
const MAX_PAGES = 100;
export const ROSTER_TTL_MS = 10 * 60_000;
const MISS_REREAD_MS = 60_000;

/** Reads a channel's team roster through the Bot Connector, page by page. */
export function connectorRoster(adapter: Pick<CloudAdapter, 'continueConversationAsync'>, appId: string): RosterReader {
  return async (channelId, via) => {
    const members: TeamsChannelAccount[] = [];
    await surfacingErrors(
      (run) =>
        adapter.continueConversationAsync(
          appId,
          {
            serviceUrl: via.serviceUrl,
            channelId: via.channelId,
            conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId: via.tenantId, name: '' },
            bot: via.botId ? { id: via.botId, name: via.botName ?? '' } : undefined,
          },
          run,
        ),
      async (context) => {
        let token: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const result = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, token);
          members.push(...(result.members ?? []));
          token = result.continuationToken || undefined;
          if (!token) break;
        }
      },
    );
    return members;
  };
}

/**
 * One roster read, all its pages: within this, whatever the connector does (each page's attempts
 * have their own deadline, but a large team has many pages and 429s wait out their Retry-After).
 */
export const ROSTER_READ_MS = 30_000;

type Roster = { byObjectId: ReadonlyMap<string, string>; at: number };

export class TeamRoster {
  private readonly cache = new RecentMap<Roster>(100);
  /** Reads the roster again, keeping only object id → Teams id; fan-outs that need it meanwhile share the read. */
  private readonly reread: (channelId: string, via: ChatAddress) => Promise<Roster>;

  constructor(
    private readonly read: RosterReader,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = ROSTER_TTL_MS,
    readMs = ROSTER_READ_MS,
  ) {
    this.reread = sharedWithinBy(
      readMs,
      (channelId) => `read the roster of channel ${channelId}`,
      async (via, channelId) => {
        const members = await this.read(channelId, via);
        const byObjectId = new Map<string, string>();
        for (const member of members) if (member.aadObjectId && member.id) byObjectId.set(idKey(member.aadObjectId), member.id);
        const entry = { byObjectId, at: this.now() };
        this.cache.set(channelId, entry);
        return entry;
      },
    );
  }

  async resolve(channelId: string, via: ChatAddress, objectIds: readonly string[]): Promise<ResolvedMembers> {
    let entry = this.cache.get(channelId);
    const age = entry ? this.now() - entry.at : Infinity;
    const missesOne = entry !== undefined && objectIds.some((id) => !entry!.byObjectId.has(idKey(id)));
    if (!entry || age >= this.ttlMs || (missesOne && age >= MISS_REREAD_MS)) entry = await this.reread(channelId, via);
    const mris: string[] = [];
    const missing: string[] = [];
    for (const id of objectIds) {
      const mri = entry.byObjectId.get(idKey(id));
      if (mri) mris.push(mri);
      else missing.push(id);
    }
    return { mris, missing };
  }
}

/** The bot's credentials, as configured (MicrosoftApp* settings). */
export interface BotCredentials {
  readonly appId: string;
  readonly appPassword: string;
  readonly appType: string;
  readonly appTenantId: string;
}

/**
 * Outside a running bot (npm run doctor): the roster of the team of `channelId`, read with the
 * bot's own credentials on a serviceUrl Teams gave the bot (any stored conversation reference).
 */
export async function channelRoster(
  bot: BotCredentials,
  serviceUrl: string,
  channelId: string,
  tenantId: string | undefined,
  timeoutMs = 10_000,
): Promise<readonly TeamsChannelAccount[]> {
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.appTenantId,
  });
  const adapter = new CloudAdapter(new DeadlineBotFrameworkAuthentication(credentials, timeoutMs));
  return connectorRoster(adapter, bot.appId)(channelId, { serviceUrl, channelId: 'msteams', conversationId: channelId, tenantId });
}
