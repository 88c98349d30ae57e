/**
 * TeamRegistry on Azure Table Storage: <prefix>Teams, one entity per team the bot is installed in
 * (PK "team", RK the escaped Teams team id). Few rows (one per team), read whole by the form.
 * Installs, removals and renames are last-writer-wins: Teams sends them one at a time per team.
 */
import type { TableClient } from '@azure/data-tables';
import type { RegisteredTeam, TeamRegistry } from '../../domain/teams';
import { guarded, tolerating } from './storageErrors';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, ensureTable, openTableClient, type TableConnection } from './tableClients';
import { checkedKey, encodeKeyPart } from './tableKeys';

const PARTITION = 'team';
/** Bounds a list read; far beyond the teams one organisation installs a bot in. */
const MAX_TEAMS = 5000;

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
  static async open(options: TableConnection): Promise<TableTeamRegistry> {
    const client = openTableClient(options, teamsTableName(options.tablePrefix));
    await ensureTable(client);
    return new TableTeamRegistry(client);
  }

  private constructor(private readonly client: TableClient) {}

  async register(team: RegisteredTeam): Promise<void> {
    const entity: TeamEntity = { partitionKey: PARTITION, rowKey: rowKeyOf(team.teamId), ...team };
    await guarded(`register team in table ${this.client.tableName}`, () => this.client.upsertEntity(entity, 'Replace'));
  }

  async unregister(teamId: string): Promise<void> {
    await tolerating(`unregister team in table ${this.client.tableName}`, [404], () =>
      this.client.deleteEntity(PARTITION, rowKeyOf(teamId)),
    );
  }

  async rename(teamId: string, name: string): Promise<void> {
    // Merge without an eTag would create the row; update('Merge') needs it to exist (404 otherwise).
    await tolerating(`rename team in table ${this.client.tableName}`, [404], () =>
      this.client.updateEntity({ partitionKey: PARTITION, rowKey: rowKeyOf(teamId), name }, 'Merge'),
    );
  }

  async list(): Promise<readonly RegisteredTeam[]> {
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
