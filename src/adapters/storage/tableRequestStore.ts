/**
 * RequestStore on Azure Table Storage (Azurite locally).
 *
 * Tables (prefix defaults to "guestaccess"):
 *   <prefix>Requests          PK escaped request id, RK "request"   — the request as JSON + flat columns
 *                             PK escaped request id, RK "audit_…"   — its audit trail (auditEntity.ts)
 *   <prefix>RequestIndex      see requestIndex.ts                   — status and requester listings
 *                             PK "limits-<escaped requester id>"    — the requester's limits (requesterQuota.ts)
 *   <prefix>ApprovalMessages  PK escaped request id, RK escaped approver id
 *
 * Every request write is conditional on its eTag (create: insert, 409 if it exists; update: replace
 * with If-Match, 412 → ConcurrencyConflict), which is what makes "two approvers at once" produce one
 * decision across any number of processes. A write that carries an audit entry commits both in one
 * entity-group transaction (same partition): a transition is never stored without its entry, nor
 * an entry without its transition, and it costs one round trip, not two.
 *
 * The index cannot be written in that transaction (different partitions), so the write order below
 * keeps it a safe over-approximation: every request is always reachable from the index rows of its
 * current status and requester, and readers drop the extra (stale) rows after checking each one
 * against the request itself. Only the rows a write needs for that are written before it returns;
 * the clean-up after the commit runs in the background (settle() waits for it).
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import {
  REQUEST_STATUSES,
  type ApprovalMessage,
  type AuditEntry,
  type GuestRequest,
  type RequestStatus,
  type Versioned,
} from '../../domain/guestRequest';
import {
  ConcurrencyConflict,
  type Clock,
  type ListOptions,
  type Page,
  type RequesterLimits,
  type RequestStore,
  type SubmitOutcome,
  type WriteOptions,
} from '../../domain/ports';
import { fromApprovalMessageEntity, toApprovalMessageEntity, approvalPartitionKey } from './approvalMessageEntity';
import { AUDIT_ROW_END, AUDIT_ROW_PREFIX, fromAuditEntity, toAuditEntity, type AuditEntity } from './auditEntity';
import { mapConcurrently } from './concurrency';
import { IndexTable, type IndexRow, type StorageWarnings } from './indexTable';
import { fromRequestEntity, REQUEST_ROW_KEY, requestPartitionKey, toRequestEntity, type RequestEntity } from './requestEntity';
import {
  decodeCursor,
  encodeCursor,
  requesterIndexKey,
  requesterPartition,
  sameKey,
  statusIndexKey,
  statusPartition,
  type IndexKey,
} from './requestIndex';
import { RequesterQuota } from './requesterQuota';
import { guarded, statusOf, StorageError, tolerating, toStorageError, UnreadableRecord } from './storageErrors';
import { ascendingTime } from './tableKeys';
import { systemClock } from '../system/systemClock';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, ensureTable, openTableClient, type TableConnection } from './tableClients';

export interface TableRequestStoreOptions extends TableConnection {
  /** Stamps index rows; the same clock decides when a stale row is old enough to delete. */
  readonly clock?: Clock;
  /**
   * Readers never delete an index row younger than this, because it may belong to a write that has
   * put down its index row and not yet written the request. Far above any write's duration.
   */
  readonly staleIndexGraceMs?: number;
  /** Best-effort index maintenance that failed (the request write itself had succeeded). */
  readonly warnings?: StorageWarnings;
}

export interface RequestStoreTableNames {
  readonly requests: string;
  readonly index: string;
  readonly approvalMessages: string;
}

export function requestStoreTableNames(prefix: string = DEFAULT_TABLE_PREFIX): RequestStoreTableNames {
  checkTablePrefix(prefix);
  return {
    requests: `${prefix}Requests`,
    index: `${prefix}RequestIndex`,
    approvalMessages: `${prefix}ApprovalMessages`,
  };
}

export const DEFAULT_STALE_INDEX_GRACE_MS = 5 * 60_000;
/** A key no request has: request partitions are escaped request ids, which never contain a space. */
const PROBE_KEY = 'readiness probe';
/** Azure returns at most 1000 entities a page; larger pages would only hide the cost. */
const MAX_LIMIT = 1000;
/** Parallel point reads when verifying a page of index rows. */
const READ_WIDTH = 16;

const silent: StorageWarnings = { warn: () => undefined };

export class TableRequestStore implements RequestStore {
  /** Opens the store, creating its tables if they are missing (safe to call from many processes). */
  static async open(options: TableRequestStoreOptions): Promise<TableRequestStore> {
    const names = requestStoreTableNames(options.tablePrefix);
    const clients = {
      requests: openTableClient(options, names.requests),
      index: openTableClient(options, names.index),
      approvalMessages: openTableClient(options, names.approvalMessages),
    };
    await Promise.all(Object.values(clients).map(ensureTable));
    const warnings = options.warnings ?? silent;
    const index = new IndexTable(
      clients.index,
      options.clock ?? systemClock,
      options.staleIndexGraceMs ?? DEFAULT_STALE_INDEX_GRACE_MS,
      warnings,
    );
    return new TableRequestStore(clients.requests, index, clients.approvalMessages, warnings, clients.index);
  }

  private readonly quota: RequesterQuota;

  private constructor(
    private readonly requests: TableClient,
    private readonly index: IndexTable,
    private readonly approvalMessages: TableClient,
    private readonly warnings: StorageWarnings,
    indexClient: TableClient,
  ) {
    this.quota = new RequesterQuota(indexClient, {
      statusOf: async (id) => (await this.get(id))?.value.status,
      recentOf: (requesterId) => this.recentOf(requesterId),
    });
  }

  /** Index clean-up still running after the writes that started it returned. */
  private readonly maintenance = new Set<Promise<void>>();

  /** Resolves once the background index clean-up of every write so far has finished (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.maintenance.size > 0) await Promise.all([...this.maintenance]);
  }

  async create(request: GuestRequest, options: WriteOptions = {}): Promise<Versioned<GuestRequest>> {
    // Build (and validate) everything before the first write, so a bad request leaves no trace.
    const entity = toRequestEntity(request);
    const audit = auditEntityFor(request, options);
    const keys = [statusIndexKey(request), requesterIndexKey(request)];
    // Index first: a crash after this leaves a row pointing at nothing, which readers skip.
    const slow = this.index.startWrite();
    await Promise.all(keys.map((key) => this.index.write(key, request.id)));
    let etag: string | undefined;
    try {
      etag = await this.commit(entity, audit);
    } catch (err) {
      // The rows just written are left alone: if the existing request has the same keys they are
      // its rows; if not, they are stale and readers will clean them up.
      if (statusOf(err) === 409)
        throw new StorageError(`Storage: a request with id ${request.id} already exists`, 409, 'EntityAlreadyExists');
      throw toStorageError(err, `create request ${request.id}`);
    }
    this.afterCommit(request.id, slow() ? keys : [], []);
    return { value: request, etag: requireEtag(etag, request.id) };
  }

  /**
   * Replay first (the request exists: return it), then the place within the limits (requesterQuota.ts),
   * then the create. Concurrent replays of one id all pass the quota as one reservation; one create
   * wins and the others, answered 409, return the winner's request.
   */
  async submit(request: GuestRequest, options: { audit: AuditEntry; limits: RequesterLimits }): Promise<SubmitOutcome> {
    const stored = await this.get(request.id);
    if (stored) return { kind: 'existing', request: stored };
    if (options.limits.maxPending || options.limits.maxPerDay) {
      const refused = await this.quota.reserve(request, options.limits);
      if (refused) return { kind: 'overLimit', limit: refused };
    }
    try {
      return { kind: 'created', request: await this.create(request, { audit: options.audit }) };
    } catch (err) {
      const winner = err instanceof StorageError && err.statusCode === 409 ? await this.get(request.id) : undefined;
      if (winner) return { kind: 'existing', request: winner };
      throw err;
    }
  }

  /** The requester's newest requests (at most 100), to count them when their limits row is first made. */
  private async recentOf(requesterId: string): Promise<GuestRequest[]> {
    const out: GuestRequest[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listByRequester(requesterId, 50, cursor);
      out.push(...page.items);
      cursor = page.next;
    } while (cursor && out.length < 100);
    return out;
  }

  /**
   * Proves the Requests table answers, for the readiness probe: one point read of a key no request
   * has (404 is an answer). Unlike a listing it reads nothing else and never cleans anything up.
   */
  async ping(): Promise<void> {
    await tolerating('readiness probe', [404], () => this.requests.getEntity(PROBE_KEY, PROBE_KEY));
  }

  async get(id: string): Promise<Versioned<GuestRequest> | undefined> {
    const partitionKey = requestPartitionKey(id);
    const entity = await tolerating(`read request ${id}`, [404], () => this.requests.getEntity(partitionKey, REQUEST_ROW_KEY));
    if (!entity) return undefined;
    const value = fromRequestEntity(entity);
    if (!value) throw new UnreadableRecord(`request ${id}`);
    return { value, etag: entity.etag };
  }

  async update(request: GuestRequest, etag: string, options: WriteOptions = {}): Promise<Versioned<GuestRequest>> {
    const entity = toRequestEntity(request);
    const audit = auditEntityFor(request, options);
    const { previous } = options;
    // The stored version tells us which index rows to retire. If the write below succeeds, this
    // read (or the caller's, at the same eTag) saw exactly the version `etag` names: anything newer
    // would have made the conditional write fail.
    const current = previous ? { value: previous } : await this.get(request.id);
    if (!current) throw new StorageError(`Storage: request ${request.id} does not exist`, 404, 'ResourceNotFound');
    // Usually only the status row moves; the requester row moves only if createdAt or the
    // requester were rewritten, which the domain does not do but the store does not assume.
    const moves = [
      { from: statusIndexKey(current.value), to: statusIndexKey(request) },
      { from: requesterIndexKey(current.value), to: requesterIndexKey(request) },
    ].filter(({ from, to }) => !sameKey(from, to));

    // Before the commit: note the old rows' eTags (so we later delete only what we saw, never a row
    // someone re-wrote after us, e.g. for a Failed → Approved → Failed round trip; remembered from
    // this process's own write of the row, else read) and put down the new rows (so a crash after
    // the commit cannot hide the request).
    const slow = this.index.startWrite();
    const [oldEtags] = await Promise.all([
      Promise.all(moves.map(({ from }) => this.index.etagOf(from))),
      Promise.all(moves.map(({ to }) => this.index.write(to, request.id))),
    ]);

    let newEtag: string | undefined;
    try {
      newEtag = await this.commit(entity, audit, etag);
    } catch (err) {
      // A new index row written above stays: it is stale (readers skip and clean it) or it is also
      // the winner's row, in which case deleting it would hide the request.
      const status = statusOf(err);
      if (status === 412) throw new ConcurrencyConflict(request.id);
      if (status === 404) throw new StorageError(`Storage: request ${request.id} does not exist`, 404, 'ResourceNotFound');
      throw toStorageError(err, `update request ${request.id}`);
    }

    const retire = moves.flatMap(({ from }, i) => {
      const seen = oldEtags[i];
      return seen === undefined ? [] : [{ key: from, etag: seen }];
    });
    this.afterCommit(request.id, slow() ? moves.map(({ to }) => to) : [], retire);
    return { value: request, etag: requireEtag(newEtag, request.id) };
  }

  async listByStatus(status: RequestStatus, limit: number, cursor?: string, options: ListOptions = {}): Promise<Page<GuestRequest>> {
    if (!REQUEST_STATUSES.includes(status)) throw new RangeError(`Unknown request status: ${String(status)}`);
    // Status rows are keyed "<createdAt>_<id>": starting after the bare time lists exactly the
    // requests created at or after it, without reading older rows.
    const since = cursor === undefined && options.createdSince ? ascendingTime(options.createdSince, 'createdSince') : undefined;
    return this.listIndex(statusPartition(status), limit, cursor, statusIndexKey, since);
  }

  async listByRequester(requesterId: string, limit: number, cursor?: string): Promise<Page<GuestRequest>> {
    return this.listIndex(requesterPartition(requesterId), limit, cursor, requesterIndexKey);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    // The row key's random part makes a collision all but impossible; retrying covers "all but".
    for (let attempt = 1; ; attempt++) {
      const entity = toAuditEntity(entry); // outside the try: a bad entry is the caller's RangeError
      try {
        await this.requests.createEntity(entity);
        return;
      } catch (err) {
        if (statusOf(err) !== 409 || attempt >= 3) throw toStorageError(err, `append audit entry for request ${entry.requestId}`);
      }
    }
  }

  async listAudit(requestId: string): Promise<AuditEntry[]> {
    const partitionKey = requestPartitionKey(requestId);
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${AUDIT_ROW_PREFIX} and RowKey lt ${AUDIT_ROW_END}`;
    return this.readPartition(this.requests, filter, `list audit of request ${requestId}`, fromAuditEntity);
  }

  async saveApprovalMessage(message: ApprovalMessage): Promise<void> {
    await guarded(`save approval message for request ${message.requestId}`, () =>
      this.approvalMessages.upsertEntity(toApprovalMessageEntity(message), 'Replace'),
    );
  }

  async listApprovalMessages(requestId: string): Promise<ApprovalMessage[]> {
    const filter = odata`PartitionKey eq ${approvalPartitionKey(requestId)}`;
    return this.readPartition(this.approvalMessages, filter, `list approval messages of request ${requestId}`, fromApprovalMessageEntity);
  }

  /**
   * The request write itself: a conditional insert (no `etag`) or replace, in one transaction with
   * its audit entry when there is one. Resolves with the request's new eTag.
   */
  private async commit(entity: RequestEntity, audit: AuditEntity | undefined, etag?: string): Promise<string | undefined> {
    if (!audit) {
      return etag === undefined
        ? (await this.requests.createEntity(entity)).etag
        : (await this.requests.updateEntity(entity, 'Replace', { etag })).etag;
    }
    const write: TransactionAction = etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag }];
    const result = await this.requests.submitTransaction([write, ['create', audit]]);
    // Sub-responses come back in the order of the actions: the request's is first.
    return result.subResponses[0]?.etag;
  }

  /**
   * After a successful request write, index work is best effort and runs in the background: the
   * request is already reachable through the rows written before the commit. The old rows are
   * retired; after a slow write the new rows are written again (see indexTable.ts). A crash before
   * this finishes leaves stale rows, which readers skip and clean up.
   */
  private afterCommit(requestId: string, rewrite: IndexKey[], retire: { key: IndexKey; etag: string }[]): void {
    const jobs = [
      ...rewrite.map((key) => this.index.write(key, requestId)),
      ...retire.map(({ key, etag }) => this.index.deleteIfUnchanged(key, etag)),
    ];
    if (jobs.length === 0) return;
    const done: Promise<void> = Promise.allSettled(jobs).then((results) => {
      this.maintenance.delete(done);
      for (const result of results) {
        if (result.status === 'rejected') {
          this.warnings.warn(
            { table: this.index.tableName, requestId, reason: toStorageError(result.reason, 'index maintenance').message },
            'Index maintenance after a request write failed; readers will compensate',
          );
        }
      }
    });
    this.maintenance.add(done);
  }

  /**
   * One page of requests from an index partition. Each index row is checked against the request it
   * names (point read); rows that no longer match are skipped and, once old, deleted. Work is
   * bounded: `limit` is capped at 1000 (Azure's page size) and at most 2 × limit (or limit + 50)
   * index rows are examined per call, so a page may hold fewer than `limit` items yet still have a
   * cursor for the rest (only when stale rows were skipped). Without a cursor, the listing is
   * complete; with one, the next page may turn out empty.
   */
  private async listIndex(
    partitionKey: string,
    limit: number,
    cursor: string | undefined,
    keyOf: (request: GuestRequest) => IndexKey,
    startAfter?: string,
  ): Promise<Page<GuestRequest>> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    const pageLimit = Math.min(limit, MAX_LIMIT);
    const after = cursor === undefined ? startAfter : decodeCursor(cursor, partitionKey);
    const budget = pageLimit + Math.max(pageLimit, 50);

    const items: GuestRequest[] = [];
    let examined = 0;
    let lastRowKey = after;
    let token: string | undefined;
    // Empty pages with a token are legal (service time-outs); the page cap keeps us finite regardless.
    for (let pages = 0; pages < 50; pages++) {
      const want = Math.min(pageLimit - items.length, budget - examined);
      const page = await this.index.page(partitionKey, after, want, token);
      const checked = await mapConcurrently(page.rows, READ_WIDTH, (row) => this.resolveRow(row, keyOf, page.listedAt));
      for (const [i, row] of page.rows.entries()) {
        examined++;
        lastRowKey = row.rowKey;
        const request = checked[i];
        if (request) items.push(request);
      }
      token = page.continuationToken;
      if (!token || items.length >= pageLimit || examined >= budget) break;
    }
    // Asking for exactly what is missing means the token (more rows exist) is also our "has more".
    const next = token ? encodeCursor(partitionKey, lastRowKey ?? '') : undefined;
    return next ? { items, next } : { items };
  }

  /** The request an index row points at, if the row is still right about it. */
  private async resolveRow(row: IndexRow, keyOf: (request: GuestRequest) => IndexKey, listedAt: Date): Promise<GuestRequest | undefined> {
    let stored: Versioned<GuestRequest> | undefined;
    try {
      stored = typeof row.requestId === 'string' ? await this.get(row.requestId) : undefined;
    } catch (err) {
      // An unreadable request must not make the whole listing fail; nor is its row stale.
      if (err instanceof UnreadableRecord) {
        this.warnings.warn({ table: this.index.tableName, requestId: row.requestId }, 'Skipping an unreadable stored request');
        return undefined;
      }
      throw err;
    }
    if (stored && matches(stored.value, row, keyOf)) return stored.value;
    await this.index.removeIfStale(row, listedAt);
    return undefined;
  }

  private async readPartition<T>(
    client: TableClient,
    filter: string,
    operation: string,
    parse: (entity: Record<string, unknown>) => T | undefined,
  ): Promise<T[]> {
    return guarded(operation, async () => {
      const out: T[] = [];
      for await (const entity of client.listEntities({ queryOptions: { filter } })) {
        const value = parse(entity);
        if (value) out.push(value);
        else this.warnings.warn({ table: client.tableName, rowKey: entity.rowKey }, 'Skipping an unreadable stored entity');
      }
      return out;
    });
  }
}

function matches(request: GuestRequest, row: IndexRow, keyOf: (request: GuestRequest) => IndexKey): boolean {
  try {
    return sameKey(keyOf(request), row);
  } catch {
    // A stored request whose fields no longer make a key (e.g. a corrupted createdAt) matches nothing.
    return false;
  }
}

/** The audit entry to commit with a write of `request`, laid out and checked before any write. */
function auditEntityFor(request: GuestRequest, options: WriteOptions): AuditEntity | undefined {
  if (!options.audit) return undefined;
  if (options.audit.requestId !== request.id)
    throw new RangeError(`Audit entry for ${options.audit.requestId} written with request ${request.id}`);
  return toAuditEntity(options.audit);
}

function requireEtag(etag: string | undefined, id: string): string {
  if (!etag) throw new StorageError(`Storage: no eTag returned for request ${id}`);
  return etag;
}
