/**
 * PersonalChats on Azure Table Storage: <prefix>ConversationRefs, one entity per person (PK "user",
 * RK the canonical Entra object id) holding their conversation reference: serviceUrl, conversation
 * id, tenant, the bot's and the user's Teams ids. Last writer wins: Teams' newest word on a
 * person's chat is the right one.
 *
 * Refreshed by every personal-chat activity, so writes are skipped cheaply: a save identical to
 * what this process last wrote or read for the person within `refreshMs` writes nothing (at most
 * one write per person per process per period when nothing changed; a change is written at once).
 *
 * Reads are served from the same memory for as long (a person's chat hardly ever changes, and every
 * proactive message needs it: three approval cards and a link per request). A reference another
 * process changed meanwhile is at worst `refreshMs` old here; sending to a stale one fails for good
 * and the notifier opens the chat again (teamsNotifier.ts). "None stored" is remembered for a
 * shorter while, so that a person's first installation, seen by another process, is soon picked up.
 */
import type { TableClient } from '@azure/data-tables';
import type { ChatAddress } from '../../domain/guestRequest';
import { idKey } from '../../domain/identity';
import type { PersonalChats } from '../../domain/ports';
import { RecentMap } from '../system/recentMap';
import { guarded, statusOf, tolerating } from './storageErrors';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, ensureTable, openTableClient, type TableConnection } from './tableClients';
import { checkedKey, encodeKeyPart } from './tableKeys';

const PARTITION = 'user';
/** An unchanged reference is written again at most this often per person and process. */
export const DEFAULT_REFRESH_MS = 10 * 60_000;
/** How long "no reference stored" is believed without reading again. */
export const ABSENT_REFRESH_MS = 30_000;
/** Bounds the per-process memory of recent reads and writes (least recently used out). */
const REMEMBERED = 10_000;

const FIELDS = ['serviceUrl', 'channelId', 'conversationId', 'tenantId', 'botId', 'botName', 'userId'] as const;

export function conversationRefsTableName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return `${checkTablePrefix(prefix)}ConversationRefs`;
}

export interface ConversationRefsOptions extends TableConnection {
  readonly refreshMs?: number;
  /** Milliseconds now (tests move it). */
  readonly now?: () => number;
}

export class TableConversationRefs implements PersonalChats {
  /** Opens the table, creating it if it is missing. */
  static async open(options: ConversationRefsOptions): Promise<TableConversationRefs> {
    const client = openTableClient(options, conversationRefsTableName(options.tablePrefix));
    await ensureTable(client);
    return new TableConversationRefs(client, options.refreshMs ?? DEFAULT_REFRESH_MS, options.now ?? Date.now);
  }

  /** What this process last wrote or read per person (`address` undefined: none stored), and when. */
  private readonly recent = new RecentMap<{ address?: ChatAddress; json: string; at: number }>(REMEMBERED);

  private constructor(
    private readonly client: TableClient,
    private readonly refreshMs: number,
    private readonly now: () => number,
  ) {}

  async get(userId: string): Promise<ChatAddress | undefined> {
    const key = idKey(userId);
    const known = this.recent.get(key);
    if (known && this.now() - known.at < (known.address ? this.refreshMs : Math.min(this.refreshMs, ABSENT_REFRESH_MS))) {
      return known.address;
    }
    return guarded(`read a conversation reference in table ${this.client.tableName}`, async () => {
      let entity: Record<string, unknown>;
      try {
        entity = await this.client.getEntity<Record<string, unknown>>(PARTITION, rowKeyOf(key));
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        this.recent.set(key, { json: '', at: this.now() });
        return undefined;
      }
      const address = fromEntity(entity);
      if (address) this.recent.set(key, { address, json: JSON.stringify(address), at: this.now() });
      return address;
    });
  }

  async save(userId: string, address: ChatAddress): Promise<void> {
    const key = idKey(userId);
    const clean = pick(address);
    const json = JSON.stringify(clean);
    const last = this.recent.get(key);
    if (last && last.json === json && this.now() - last.at < this.refreshMs) return;
    const entity = { partitionKey: PARTITION, rowKey: rowKeyOf(key), ...clean, updatedAt: new Date(this.now()).toISOString() };
    await guarded(`store a conversation reference in table ${this.client.tableName}`, () => this.client.upsertEntity(entity, 'Replace'));
    this.recent.set(key, { address: clean, json, at: this.now() });
  }

  /** Any stored reference's serviceUrl (npm run doctor reads a team roster there); undefined when none is stored. */
  async anyServiceUrl(): Promise<string | undefined> {
    return guarded(`read a conversation reference in table ${this.client.tableName}`, async () => {
      const entities = this.client.listEntities<Record<string, unknown>>({
        queryOptions: { filter: `PartitionKey eq '${PARTITION}'`, select: ['serviceUrl'] },
      });
      for await (const entity of entities) if (typeof entity.serviceUrl === 'string') return entity.serviceUrl;
      return undefined;
    });
  }

  async remove(userId: string): Promise<void> {
    const key = idKey(userId);
    this.recent.set(key, { json: '', at: this.now() });
    await tolerating(`remove a conversation reference in table ${this.client.tableName}`, [404], () =>
      this.client.deleteEntity(PARTITION, rowKeyOf(key)),
    );
  }
}

function rowKeyOf(key: string): string {
  return checkedKey(encodeKeyPart(key), 'user');
}

/** Only the reference's own fields, in a fixed order (so equal references compare equal as JSON). */
function pick(address: ChatAddress): ChatAddress {
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = address[field];
    if (typeof value === 'string' && value !== '') out[field] = value;
  }
  return out as unknown as ChatAddress;
}

function fromEntity(entity: Record<string, unknown>): ChatAddress | undefined {
  const { serviceUrl, channelId, conversationId } = entity;
  if (typeof serviceUrl !== 'string' || typeof channelId !== 'string' || typeof conversationId !== 'string') return undefined;
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) if (typeof entity[field] === 'string') out[field] = entity[field];
  return pick(out as unknown as ChatAddress);
}
