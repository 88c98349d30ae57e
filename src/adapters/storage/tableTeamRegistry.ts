/**
 * TeamRegistry on Azure Table Storage: <prefix>Teams, one entity per team the bot is installed in
 * (PK "team", RK the escaped Teams team id). Few rows (one per team), read whole by the form.
 * Installs, removals and renames are last-writer-wins: Teams sends them one at a time per team.
 *
 * The list is read for every request form, and changes only when the bot is added to or removed
 * from a team: it is kept in memory for `listCacheMs` (a change made through this process shows at
 * once; one made through another process within that time).
 */
import type { TableClient } from '@azure/data-tables';
import type { RegisteredTeam, TeamRegistry } from '../../domain/teams';
import { guarded, tolerating } from './storageErrors';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, ensureTable, openTableClient, type TableConnection } from './tableClients';
import { checkedKey, encodeKeyPart } from './tableKeys';

const PARTITION = 'team';
/** Bounds a list read; far beyond the teams one organisation installs a bot in. */
const MAX_TEAMS = 5000;
/** How long a listing is reused. */
export const DEFAULT_LIST_CACHE_MS = 30_000;

export interface TeamRegistryOptions extends TableConnection {
  readonly listCacheMs?: number;
}

interface TeamEntity {
  partitionKey: string;
  rowKey: string;
  teamId: string;
  groupId: string;
  name: string;
  registeredAt: string;
}

export function teamsTableName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return `${checkTablePrefix(prefix)}Teams`;
}

function rowKeyOf(teamId: string): string {
  return checkedKey(encodeKeyPart(teamId), 'team');
}

export class TableTeamRegistry implements TeamRegistry {
  /** Opens the registry, creating its table if it is missing. */
  static async open(options: TeamRegistryOptions): Promise<TableTeamRegistry> {
    const client = openTableClient(options, teamsTableName(options.tablePrefix));
    await ensureTable(client);
    return new TableTeamRegistry(client, options.listCacheMs ?? DEFAULT_LIST_CACHE_MS);
  }

  private listed?: { teams: Promise<readonly RegisteredTeam[]>; at: number };

  private constructor(
    private readonly client: TableClient,
    private readonly listCacheMs: number,
  ) {}

  async register(team: RegisteredTeam): Promise<void> {
    const entity: TeamEntity = { partitionKey: PARTITION, rowKey: rowKeyOf(team.teamId), ...team };
    await this.changing(() =>
      guarded(`register team in table ${this.client.tableName}`, () => this.client.upsertEntity(entity, 'Replace')),
    );
  }

  /** A change made here shows in the next listing: no listing read before it (or during it) is reused. */
  private async changing(write: () => Promise<unknown>): Promise<void> {
    this.listed = undefined;
    try {
      await write();
    } finally {
      this.listed = undefined;
    }
  }

  async unregister(teamId: string): Promise<void> {
    await this.changing(() =>
      tolerating(`unregister team in table ${this.client.tableName}`, [404], () => this.client.deleteEntity(PARTITION, rowKeyOf(teamId))),
    );
  }

  async rename(teamId: string, name: string): Promise<void> {
    // Merge without an eTag would create the row; update('Merge') needs it to exist (404 otherwise).
    await this.changing(() =>
      tolerating(`rename team in table ${this.client.tableName}`, [404], () =>
        this.client.updateEntity({ partitionKey: PARTITION, rowKey: rowKeyOf(teamId), name }, 'Merge'),
      ),
    );
  }

  async list(): Promise<readonly RegisteredTeam[]> {
    const now = performance.now();
    if (this.listed && now - this.listed.at < this.listCacheMs) return this.listed.teams;
    const teams = this.read();
    // Shared by concurrent forms; a failed read is not kept.
    const listed = { teams, at: now };
    this.listed = listed;
    teams.catch(() => {
      if (this.listed === listed) this.listed = undefined;
    });
    return teams;
  }

  private async read(): Promise<readonly RegisteredTeam[]> {
    return guarded(`list teams in table ${this.client.tableName}`, async () => {
      const teams: RegisteredTeam[] = [];
      const entities = this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } });
      for await (const entity of entities) {
        const team = fromEntity(entity);
        if (team) teams.push(team);
        if (teams.length >= MAX_TEAMS) break;
      }
      return teams;
    });
  }
}

function fromEntity(entity: Record<string, unknown>): RegisteredTeam | undefined {
  const { teamId, groupId, name, registeredAt } = entity;
  if (typeof teamId !== 'string' || typeof groupId !== 'string' || typeof name !== 'string') return undefined;
  return { teamId, groupId, name, registeredAt: typeof registeredAt === 'string' ? registeredAt : '' };
}
