/**
 * Helpers for the storage adapter's tests: unique table prefixes, a hand-driven clock, sample
 * requests, and pipeline policies that count or interfere with the HTTP requests a store makes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import type { GuestRequest } from '../../../src/domain/guestRequest';
import type { Clock } from '../../../src/domain/ports';
import { CARD_ROW_PREFIX } from '../../../src/adapters/storage/approvalMessageEntity';
import type { TableClientExtras } from '../../../src/adapters/storage/tableClients';
import { testStorageConnectionString } from '../../support/env';

export type PipelinePolicy = NonNullable<TableClientExtras['additionalPolicies']>[number]['policy'];
type PipelineRequest = Parameters<PipelinePolicy['sendRequest']>[0];

/** Each test gets its own tables, so tests never see each other's rows. */
export function uniquePrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

export class ManualClock implements Clock {
  private ms: number;
  constructor(start = '2025-01-01T00:00:00.000Z') {
    this.ms = Date.parse(start);
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function sampleRequest(overrides: Partial<GuestRequest> = {}): GuestRequest {
  const createdAt = overrides.createdAt ?? '2025-01-01T10:00:00.000Z';
  return {
    id: randomUUID(),
    status: 'Pending',
    guest: { email: 'ada.lovelace@example.com', displayName: 'Ada Lovelace', message: 'Welcome aboard', sendInvitationMessage: true },
    justification: 'Joint work on the analytical engine',
    requester: { id: 'requester-1', name: 'Rita Requester' },
    requesterAddress: {
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      channelId: 'msteams',
      conversationId: 'a:1xyz',
      tenantId: 'tenant-1',
    },
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

/** createdAt values one second apart, for ordering tests. */
export function secondsAfter(base: string, seconds: number): string {
  return new Date(Date.parse(base) + seconds * 1000).toISOString();
}

/** The table an Azure Tables request URL addresses, e.g. "t1a2bRequests". */
export function tableOf(request: PipelineRequest): string {
  const path = new URL(request.url).pathname.split('/').filter(Boolean).pop() ?? '';
  return decodeURIComponent(path).replace(/\(.*$/, '');
}

export interface SeenRequest {
  readonly method: string;
  readonly table: string;
  readonly url: string;
}

/** Records every HTTP request (one per call, before retries) the store sends. */
export class RequestLog {
  readonly seen: SeenRequest[] = [];
  readonly policy: PipelinePolicy = {
    name: 'testRequestLog',
    sendRequest: (request, next) => {
      this.seen.push({ method: request.method, table: tableOf(request), url: request.url });
      return next(request);
    },
  };
  clear(): void {
    this.seen.length = 0;
  }
  count(filter: Partial<Omit<SeenRequest, 'url'>> = {}): number {
    return this.seen.filter((r) => (!filter.method || r.method === filter.method) && (!filter.table || r.table === filter.table)).length;
  }
}

/**
 * Runs `hook` before matching requests go out; the hook may throw (an injected crash: the request
 * is never sent) or do other storage work first (a racing process).
 */
export function interceptor(name: string, hook: (request: PipelineRequest) => Promise<void> | void): PipelinePolicy {
  return {
    name,
    sendRequest: async (request, next) => {
      await hook(request);
      return next(request);
    },
  };
}

/** A plain client on one of the store's tables, to inspect or tamper with rows by hand. */
export function rawTable(tableName: string): TableClient {
  return TableClient.fromConnectionString(testStorageConnectionString(), tableName, { allowInsecureConnection: true });
}

export async function rowsIn(table: TableClient, partitionKey: string): Promise<Array<Record<string, unknown> & { rowKey?: string }>> {
  const rows: Array<Record<string, unknown> & { rowKey?: string }> = [];
  for await (const row of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${partitionKey.replace(/'/g, "''")}'` } }))
    rows.push(row);
  return rows;
}

/**
 * Once armed, holds back the answer to the next approval-card save: the service has committed it,
 * the store has not heard yet (the fan-out's save as a click crosses it), until released.
 */
export class CardSaveHold {
  private armed: { committed: () => void; released: Promise<void> } | undefined;

  readonly policy: PipelinePolicy = {
    name: 'holdCardSaveAnswer',
    sendRequest: async (request, next) => {
      const response = await next(request);
      const held = this.armed;
      if (held && request.method === 'POST' && String(request.body).includes(CARD_ROW_PREFIX)) {
        this.armed = undefined;
        held.committed();
        await held.released;
      }
      return response;
    },
  };

  /** `committed` resolves once the next card save has landed; `release` lets its answer through. */
  arm(): { committed: Promise<void>; release: () => void } {
    let release!: () => void;
    let committed!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const landed = new Promise<void>((resolve) => (committed = resolve));
    this.armed = { committed, released };
    return { committed: landed, release };
  }

  disarm(): void {
    this.armed = undefined;
  }
}
