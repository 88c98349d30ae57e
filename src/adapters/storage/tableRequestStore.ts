/**
 * RequestStore on Azure Table Storage (Azurite locally).
 *
 * Tables (prefix defaults to "guestaccess"):
 *   <prefix>Requests      PK escaped request id, RK "request"   — the request as JSON + flat columns
 *                         PK escaped request id, RK "audit_…"   — its audit trail (auditEntity.ts)
 *                         PK escaped request id, RK "card_…"    — its approval cards (approvalMessageEntity.ts)
 *                         PK escaped request id, RK "lease_…"   — its work's leases (leaseRows.ts)
 *   <prefix>RequestIndex  see requestIndex.ts                   — open requests, each requester's requests
 *                         and, beside the latter, the requester's limits (requesterQuota.ts)
 *
 * Everything a request's flow writes about the request itself is in its own partition, so each
 * step is one entity-group transaction: the submit stores the request, its first audit entry and
 * its fan-out's lease; the fan-out its cards and the lease's release; the decision the new status,
 * its entry and the invitation's lease; the end of the invitation the outcome, its entry and that
 * lease's release. A transition is never stored without its entry, nor an entry without it.
 *
 * Every request write is conditional on its eTag (create: insert, 409 if it exists; update: replace
 * with If-Match, 412 → ConcurrencyConflict), which is what makes "two approvers at once" produce one
 * decision across any number of processes.
 *
 * The index cannot be written in those transactions (other partitions), so the write order below
 * keeps it a safe over-approximation: every request is always reachable from the index rows of its
 * requester and, while it has work left, from its open row; readers drop the extra (stale) rows
 * after checking each one against the request itself. Only the rows a write needs for that are
 * written before it returns; the clean-up after the commit runs in the background (settle() waits
 * for it). A status change moves no row: the open row stays until the request is finished.
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
  type LeaseChange,
  type ListOptions,
  type Page,
  type RequesterLimits,
  type RequestLeaseKind,
  type RequestLeases,
  type RequestStore,
  type StoredRequest,
  type CardsSaved,
  type GetOptions,
  type SubmitOutcome,
  type WriteOptions,
  type WriteResult,
} from '../../domain/ports';
import {
  CARD_ROW_END,
  CARD_ROW_PREFIX,
  fromApprovalMessageEntity,
  isApprovalMessageRow,
  toApprovalMessageEntity,
} from './approvalMessageEntity';
import { AUDIT_ROW_END, AUDIT_ROW_PREFIX, fromAuditEntity, toAuditEntity, type AuditEntity } from './auditEntity';
import { mapConcurrently } from './concurrency';
import { etagAt } from './detachedText';
import { IndexTable, type IndexRow, type StorageWarnings } from './indexTable';
import { LeaseRows, type LeaseKey } from './leaseRows';
import { legacyCardsTableName, moveLegacyLayout } from './legacyLayout';
import { fromRequestEntity, REQUEST_ROW_KEY, requestPartitionKey, toRequestEntity, type RequestEntity } from './requestEntity';
import {
  decodeCursor,
  encodeCursor,
  OPEN_PARTITION,
  openIndexKey,
  openListing,
  requesterIndexKey,
  requesterPartition,
  sameKey,
  type IndexKey,
} from './requestIndex';
import { RecentVersions } from './recentVersions';
import { RequesterQuota, type Reservation } from './requesterQuota';
import { guarded, statusOf, StorageError, tolerating, toStorageError, UnreadableRecord } from './storageErrors';
import { checkedKey } from './tableKeys';
import { systemClock } from '../system/systemClock';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, ensureTable, openTableClient, type TableConnection } from './tableClients';

export interface TableRequestStoreOptions extends TableConnection {
  /** Stamps index rows and decides lease expiry; the same clock decides when a stale row is old enough to delete. */
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
}

export function requestStoreTableNames(prefix: string = DEFAULT_TABLE_PREFIX): RequestStoreTableNames {
  checkTablePrefix(prefix);
  return {
    requests: `${prefix}Requests`,
    index: `${prefix}RequestIndex`,
  };
}

export const DEFAULT_STALE_INDEX_GRACE_MS = 5 * 60_000;
/** A key no request has: request partitions are escaped request ids, which never contain a space. */
const PROBE_KEY = 'readiness probe';
/** Azure returns at most 1000 entities a page; larger pages would only hide the cost. */
const MAX_LIMIT = 1000;

/** A card save's touch: the request's eTag before and after it. */
interface CardSaveMove {
  readonly from: string;
  readonly to: string;
}

/** Parallel point reads when verifying a page of index rows. */
const READ_WIDTH = 16;
/** Operations in one entity-group transaction (Azure's limit). */
const MAX_BATCH = 100;
/** Row key of a request lease: "lease_<kind>", after the cards and before nothing else. */
const LEASE_ROW_PREFIX = 'lease_';

const silent: StorageWarnings = { warn: () => undefined };

export function requestLeaseKey(requestId: string, kind: RequestLeaseKind): LeaseKey {
  return { partitionKey: requestPartitionKey(requestId), rowKey: checkedKey(`${LEASE_ROW_PREFIX}${kind}`, 'lease row') };
}

export class TableRequestStore implements RequestStore {
  /** Opens the store, creating its tables if they are missing (safe to call from many processes). */
  static async open(options: TableRequestStoreOptions): Promise<TableRequestStore> {
    const names = requestStoreTableNames(options.tablePrefix);
    const clients = {
      requests: openTableClient(options, names.requests),
      index: openTableClient(options, names.index),
    };
    await Promise.all(Object.values(clients).map(ensureTable));
    const warnings = options.warnings ?? silent;
    const clock = options.clock ?? systemClock;
    const index = new IndexTable(clients.index, clock, options.staleIndexGraceMs ?? DEFAULT_STALE_INDEX_GRACE_MS, warnings);
    const store = new TableRequestStore(clients.requests, index, warnings, clients.index, new LeaseRows(clients.requests, clock));
    // What an older version stored in its own layout (legacyLayout.ts): one query once it is done.
    await moveLegacyLayout({
      index: clients.index,
      requests: clients.requests,
      oldCards: openTableClient(options, legacyCardsTableName(options.tablePrefix)),
      openRows: index,
      read: async (id) => (await store.get(id))?.value,
      warnings,
    }).catch((err: unknown) =>
      warnings.warn(
        { reason: toStorageError(err, 'move the old layout').message },
        'Requests of an older version not moved yet; the next start tries again',
      ),
    );
    return store;
  }

  private readonly quota: RequesterQuota;
  readonly leases: RequestLeases;
  /** Pending requests as this process last stored or read them (recentVersions.ts): get's `recent`. */
  private readonly recent = new RecentVersions();
  /** Card saves in flight that touch the request against a version, by request id: each resolves with its touch's eTag move, if it made one. */
  private readonly cardSaves = new Map<string, Promise<CardSaveMove | undefined>>();

  private constructor(
    private readonly requests: TableClient,
    private readonly index: IndexTable,
    private readonly warnings: StorageWarnings,
    indexClient: TableClient,
    private readonly leaseRows: LeaseRows,
  ) {
    this.quota = new RequesterQuota(indexClient, {
      statusOf: async (id) => (await this.get(id))?.value.status,
      recentOf: (requesterId) => this.recentOf(requesterId),
    });
    const label = (id: string, kind: RequestLeaseKind) => `${kind}-${id}`;
    this.leases = {
      tryAcquire: (id, kind, owner, ttlMs) => leaseRows.tryAcquire(requestLeaseKey(id, kind), label(id, kind), owner, ttlMs),
      renew: (id, kind, owner, ttlMs) => leaseRows.renew(requestLeaseKey(id, kind), label(id, kind), owner, ttlMs),
      release: (id, kind, owner) => leaseRows.release(requestLeaseKey(id, kind), label(id, kind), owner),
    };
  }

  /** Index clean-up still running after the writes that started it returned. */
  private readonly maintenance = new Set<Promise<void>>();

  /** Resolves once the background index clean-up of every write so far has finished (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.maintenance.size > 0) await Promise.all([...this.maintenance]);
  }

  async create(request: GuestRequest, options: WriteOptions = {}): Promise<WriteResult> {
    return this.insert(request, options, this.index.startWrite(), []);
  }

  /**
   * `written`: index rows already put down by the caller (submit: the requester's row, in the
   * limits transaction, and the open row beside it), to write again after a slow commit like the
   * ones written here.
   */
  private async insert(request: GuestRequest, options: WriteOptions, slow: () => boolean, written: IndexKey[]): Promise<WriteResult> {
    // Build (and validate) everything before the first write, so a bad request leaves no trace.
    const entity = toRequestEntity(request);
    const audit = auditEntityFor(request, options);
    const open = openIndexKey(request);
    const keys = written.length > 0 ? [] : [...(open ? [open] : []), requesterIndexKey(request)];
    // Index first: a crash after this leaves a row pointing at nothing, which readers skip.
    await Promise.all(keys.map((key) => this.index.write(key, request.id)));
    let committed: Committed;
    try {
      committed = await this.commit(request.id, entity, audit, undefined, options.lease);
    } catch (err) {
      // The rows just written are left alone: if the existing request has the same keys they are
      // its rows; if not, they are stale and readers will clean them up.
      if (statusOf(err) === 409)
        throw new StorageError(`Storage: a request with id ${request.id} already exists`, 409, 'EntityAlreadyExists');
      throw toStorageError(err, `create request ${request.id}`);
    }
    this.afterCommit(request.id, slow() ? [...keys, ...written] : [], []);
    const etag = requireEtag(committed.etag, request.id);
    this.recent.remember({ value: request, etag, approvalMessages: [] });
    return withLeaseOutcome({ value: request, etag }, committed);
  }

  /**
   * The place within the limits first (requesterQuota.ts, in one transaction with the requester's
   * index row), then the create. A replay (the form's token makes the same id) is found by the
   * create itself: 409, and the stored request is returned. Concurrent replays of one id pass the
   * quota as one reservation; one create wins and the others return the winner's request.
   */
  async submit(
    request: GuestRequest,
    options: { audit: AuditEntry; limits: RequesterLimits; lease?: LeaseChange },
  ): Promise<SubmitOutcome> {
    // Checked before the reservation writes anything: a request that cannot be stored leaves no trace.
    toRequestEntity(request);
    auditEntityFor(request, { audit: options.audit });
    const slow = this.index.startWrite();
    const limited = !!(options.limits.maxPending || options.limits.maxPerDay);
    let reservation: Reservation | undefined;
    const requesterRow = requesterIndexKey(request);
    const open = openIndexKey(request);
    if (limited) {
      // The open row goes down beside the reservation, not after it: one round trip less before the
      // answer. A refused request leaves it stale, and readers drop it.
      [reservation] = await Promise.all([
        this.quota.reserve(request, options.limits, [this.index.entity(requesterRow, request.id)]),
        open ? this.index.write(open, request.id) : undefined,
      ]);
      if (reservation === 'pending' || reservation === 'daily') {
        // Refused, unless it is a replay of a request that has left Pending since: that one is returned.
        const stored = await this.get(request.id);
        return stored ? { kind: 'existing', request: stored } : { kind: 'overLimit', limit: reservation };
      }
    }
    try {
      const written = limited ? [requesterRow, ...(open ? [open] : [])] : [];
      return { kind: 'created', request: await this.insert(request, { audit: options.audit, lease: options.lease }, slow, written) };
    } catch (err) {
      const winner = err instanceof StorageError && err.statusCode === 409 ? await this.get(request.id) : undefined;
      if (!winner) throw err;
      // Counted just now for a request that already existed: taken back (best effort).
      if (reservation === 'reserved') await this.quota.unreserve(request).catch(() => undefined);
      return { kind: 'existing', request: winner };
    }
  }

  async prepareSubmit(requesterId: string, limits: RequesterLimits): Promise<void> {
    if (limits.maxPending || limits.maxPerDay) await this.quota.prepare(requesterId);
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

  async get(id: string, options: GetOptions = {}): Promise<StoredRequest | undefined> {
    const known = options.recent ? this.recent.get(id) : undefined;
    if (known) return known;
    const partitionKey = requestPartitionKey(id);
    if (options.withApprovalMessages) return this.getWithCards(id, partitionKey);
    const entity = await tolerating(`read request ${id}`, [404], () => this.requests.getEntity(partitionKey, REQUEST_ROW_KEY));
    if (!entity) return void this.recent.forget(id);
    const value = fromRequestEntity(entity);
    if (!value) throw new UnreadableRecord(`request ${id}`);
    // Without its cards this read cannot replace what is remembered; a newer version retires it.
    if (this.recent.get(id)?.etag !== entity.etag) this.recent.forget(id);
    return { value, etag: entity.etag };
  }

  /** The request and its cards: one range query over its partition (the trail and leases left out). */
  private async getWithCards(id: string, partitionKey: string): Promise<StoredRequest | undefined> {
    const filter = odata`PartitionKey eq ${partitionKey} and (RowKey eq ${REQUEST_ROW_KEY} or (RowKey ge ${CARD_ROW_PREFIX} and RowKey lt ${CARD_ROW_END}))`;
    const rows = await guarded(`read request ${id}`, async () => {
      const out: Array<Record<string, unknown> & { rowKey?: string; etag: string }> = [];
      for await (const entity of this.requests.listEntities({ queryOptions: { filter } })) out.push(entity);
      return out;
    });
    const row = rows.find((r) => r.rowKey === REQUEST_ROW_KEY);
    if (!row) return void this.recent.forget(id);
    const value = fromRequestEntity(row);
    if (!value) throw new UnreadableRecord(`request ${id}`);
    const approvalMessages = this.parseCards(rows.filter((r) => typeof r.rowKey === 'string' && isApprovalMessageRow(r.rowKey)));
    const read = { value, etag: row.etag, approvalMessages };
    this.recent.remember(read);
    return read;
  }

  async update(request: GuestRequest, etag: string, options: WriteOptions = {}): Promise<WriteResult> {
    const entity = toRequestEntity(request);
    // This process's own card save in flight on the request changes its eTag (the touch): the write
    // waits for it rather than race it at the service. When it moved the request on from `etag`, a
    // write against `etag` can only fail: it fails here, without the call, and the version the save
    // left (its cards included) stays remembered for the writer's next attempt (conditionalUpdate.ts).
    const saving = this.cardSaves.get(request.id);
    if (saving && (await saving)?.from === etag) throw new ConcurrencyConflict(request.id);
    const audit = auditEntityFor(request, options);
    const { previous } = options;
    // The stored version tells us which index rows to retire. If the write below succeeds, this
    // read (or the caller's, at the same eTag) saw exactly the version `etag` names: anything newer
    // would have made the conditional write fail.
    const current = previous ? { value: previous } : await this.get(request.id);
    if (!current) throw new StorageError(`Storage: request ${request.id} does not exist`, 404, 'ResourceNotFound');
    // The open row appears when a request opens (again: a retried Failed one) and goes when it is
    // finished; the requester row moves only if createdAt or the requester were rewritten, which
    // the domain does not do but the store does not assume.
    const [wasOpen, isOpen] = [openIndexKey(current.value), openIndexKey(request)];
    const moves = [
      { from: wasOpen, to: isOpen },
      { from: requesterIndexKey(current.value), to: requesterIndexKey(request) },
    ].filter(({ from, to }) => !(from && to && sameKey(from, to)) && (from || to));

    // Before the commit: note the old rows' eTags (so we later delete only what we saw, never a row
    // someone re-wrote after us, e.g. for a Failed → Approved → Failed round trip; remembered from
    // this process's own write of the row, else read) and put down the new rows (so a crash after
    // the commit cannot hide the request).
    const slow = this.index.startWrite();
    const [oldEtags] = await Promise.all([
      Promise.all(moves.map(({ from }) => (from ? this.index.etagOf(from) : Promise.resolve(undefined)))),
      Promise.all(moves.map(({ to }) => (to ? this.index.write(to, request.id) : Promise.resolve()))),
    ]);

    let committed: Committed;
    try {
      committed = await this.commit(request.id, entity, audit, etag, options.lease);
    } catch (err) {
      // A new index row written above stays: it is stale (readers skip and clean it) or it is also
      // the winner's row, in which case deleting it would hide the request.
      const status = statusOf(err);
      if (status === 412) {
        // Forget only the version that failed: one our own card save left meanwhile is newer.
        await this.cardSaves.get(request.id);
        if (this.recent.get(request.id)?.etag === etag) this.recent.forget(request.id);
        throw new ConcurrencyConflict(request.id);
      }
      this.recent.forget(request.id);
      if (status === 404) throw new StorageError(`Storage: request ${request.id} does not exist`, 404, 'ResourceNotFound');
      throw toStorageError(err, `update request ${request.id}`);
    }

    const retire = moves.flatMap(({ from }, i) => {
      const seen = oldEtags[i];
      return from === undefined || seen === undefined ? [] : [{ key: from, etag: seen }];
    });
    const rewrite = slow() ? moves.flatMap(({ to }) => (to ? [to] : [])) : [];
    this.afterCommit(request.id, rewrite, retire);
    const written = requireEtag(committed.etag, request.id);
    this.recent.written(request, etag, written);
    return withLeaseOutcome({ value: request, etag: written }, committed);
  }

  async listByStatus(status: RequestStatus, limit: number, cursor?: string, options: ListOptions = {}): Promise<Page<GuestRequest>> {
    if (!REQUEST_STATUSES.includes(status)) throw new RangeError(`Unknown request status: ${String(status)}`);
    const { since, wanted, listing } = openListing(status, cursor, options);
    return this.listIndex(OPEN_PARTITION, limit, cursor, openIndexKey, since, wanted, listing);
  }

  async listOpen(limit: number, cursor?: string, options: ListOptions = {}): Promise<Page<GuestRequest>> {
    const { since } = openListing(undefined, cursor, options);
    return this.listIndex(OPEN_PARTITION, limit, cursor, openIndexKey, since);
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
    this.recent.forget(message.requestId);
    await guarded(`save approval message for request ${message.requestId}`, () =>
      this.requests.upsertEntity(toApprovalMessageEntity(message), 'Replace'),
    );
  }

  async saveApprovalMessages(
    requestId: string,
    messages: readonly ApprovalMessage[],
    options: { release?: LeaseChange['release']; unchangedSince?: string } = {},
  ): Promise<CardsSaved> {
    const saving = this.storeApprovalMessages(requestId, messages, options);
    const from = options.unchangedSince;
    if (from === undefined) return saving;
    // Known to this process's writes to the request until it ends (update: wait, not race).
    const moved = saving.then(
      (saved) => (saved.requestEtag === undefined ? undefined : { from, to: saved.requestEtag }),
      () => undefined,
    );
    this.cardSaves.set(requestId, moved);
    void moved.then(() => this.cardSaves.get(requestId) === moved && this.cardSaves.delete(requestId));
    return saving;
  }

  private async storeApprovalMessages(
    requestId: string,
    messages: readonly ApprovalMessage[],
    options: { release?: LeaseChange['release']; unchangedSince?: string },
  ): Promise<CardsSaved> {
    const upserts: TransactionAction[] = messages.map((message) => {
      if (message.requestId !== requestId) throw new RangeError(`Approval message of ${message.requestId} saved with request ${requestId}`);
      return ['upsert', toApprovalMessageEntity(message), 'Replace'];
    });
    const release =
      options.release && this.leaseRows.releaseAction(requestLeaseKey(requestId, options.release.kind), options.release.owner);
    const conditional = options.unchangedSince;
    // A merge of no properties changes nothing but the request's eTag. It rides with every change to
    // the cards, so whoever holds an older version (a decision read before them, a version any
    // process remembers: recentVersions.ts) has to read again, and sees them. Conditional on the
    // caller's version, it also tells whether the request changed since.
    const touching = upserts.length > 0 || conditional !== undefined;
    const requestRow = { partitionKey: requestPartitionKey(requestId), rowKey: REQUEST_ROW_KEY };
    const touch = (etag: string): TransactionAction => ['update', requestRow, 'Merge', { etag }];
    const operation = `save approval messages for request ${requestId}`;
    // Azure takes 100 operations a transaction: the touch and the release ride with the last.
    const room = MAX_BATCH - 2;
    const chunks: TransactionAction[][] = [];
    for (let i = 0; i < upserts.length; i += room) chunks.push(upserts.slice(i, i + room));
    const last = chunks.pop() ?? [];
    for (const chunk of chunks) await guarded(operation, () => this.requests.submitTransaction(chunk));
    if (!touching && !release) return { requestChanged: false };

    let withTouch = touching;
    let withRelease = release !== undefined;
    let changed = false;
    for (;;) {
      const extra = [...(withTouch ? [touch(conditional ?? '*')] : []), ...(withRelease && release ? [release.action] : [])];
      try {
        const result = await this.requests.submitTransaction([...last, ...extra]);
        if (withRelease) release?.released();
        if (conditional !== undefined && !changed) {
          const requestEtag = etagAt(result, last.length);
          this.recent.cardsSaved(requestId, messages, conditional, requestEtag);
          return { requestChanged: false, requestEtag };
        }
        this.recent.forget(requestId);
        return { requestChanged: changed };
      } catch (err) {
        const status = statusOf(err);
        if (status !== 412 && status !== 404) throw toStorageError(err, operation);
        // Azure names the operation that failed.
        const failed = failedOperation(err);
        const releaseAt = last.length + (withTouch ? 1 : 0);
        // The lease is not as we left it: left to its holder.
        if (withRelease && failed === releaseAt) withRelease = false;
        // The request changed since the caller's version (a decision, nearly always: nobody decides
        // on a version from before that): stored without the touch, which would only make the
        // decision's next step read again.
        else if (withTouch && conditional !== undefined && failed === last.length && status === 412) [withTouch, changed] = [false, true];
        else break;
      }
    }
    // The request is gone (or the failure named nothing): the cards alone.
    this.recent.forget(requestId);
    if (last.length > 0) await guarded(operation, () => this.requests.submitTransaction(last));
    return { requestChanged: conditional !== undefined };
  }

  async listApprovalMessages(requestId: string): Promise<ApprovalMessage[]> {
    const partitionKey = requestPartitionKey(requestId);
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${CARD_ROW_PREFIX} and RowKey lt ${CARD_ROW_END}`;
    return this.readPartition(this.requests, filter, `list approval messages of request ${requestId}`, fromApprovalMessageEntity);
  }

  private parseCards(entities: readonly Record<string, unknown>[]): ApprovalMessage[] {
    const out: ApprovalMessage[] = [];
    for (const entity of entities) {
      const message = fromApprovalMessageEntity(entity);
      if (message) out.push(message);
      else this.warnings.warn({ table: this.requests.tableName, rowKey: entity.rowKey }, 'Skipping an unreadable stored entity');
    }
    return out;
  }

  /**
   * The request write itself: a conditional insert (no `etag`) or replace, in one transaction with
   * its audit entry and lease change when there are any. Resolves with the request's new eTag and,
   * for a take, whether the lease was free. A lease change that cannot commit (the lease is held,
   * or no longer ours) does not hold the write back: it is made again without it.
   */
  private async commit(
    requestId: string,
    entity: RequestEntity,
    audit: AuditEntity | undefined,
    etag?: string,
    lease?: LeaseChange,
  ): Promise<Committed> {
    const write: TransactionAction = etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag }];
    const take = lease?.take && this.leaseRows.takeAction(requestLeaseKey(requestId, lease.take.kind), lease.take.owner, lease.take.ttlMs);
    const release = lease?.release && this.leaseRows.releaseAction(requestLeaseKey(requestId, lease.release.kind), lease.release.owner);
    const actions: TransactionAction[] = [write, ...(audit ? [['create', audit] as TransactionAction] : [])];
    const leaseAt = actions.length;
    if (take) actions.push(take.action);
    if (release) actions.push(release.action);
    if (actions.length === 1) {
      const written =
        etag === undefined ? await this.requests.createEntity(entity) : await this.requests.updateEntity(entity, 'Replace', { etag });
      return { etag: written.etag, ...(lease?.take ? { leaseTaken: false } : {}) };
    }
    try {
      const result = await this.requests.submitTransaction(actions);
      // Sub-responses come back in the order of the actions: the request's is first.
      take?.taken(etagAt(result, leaseAt));
      release?.released();
      return { etag: etagAt(result, 0), ...(take ? { leaseTaken: true } : {}) };
    } catch (err) {
      const status = statusOf(err);
      if (!(take || release) || (status !== 409 && status !== 412 && status !== 404)) throw err;
      // Azure names the operation that failed: the write's own (a stale eTag, an existing id) fails
      // as it is; a lease that is held, or no longer ours, is left out and the write made again.
      const failed = failedOperation(err);
      if (failed !== undefined && failed < leaseAt) throw err;
      const alone = await this.commit(requestId, entity, audit, etag);
      return { ...alone, ...(take ? { leaseTaken: false } : {}) };
    }
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
    keyOf: KeyOf,
    startAfter?: string,
    wanted: (request: GuestRequest) => boolean = () => true,
    /** What a cursor is tied to: the partition, or one status's listing of it. */
    listing: string = partitionKey,
  ): Promise<Page<GuestRequest>> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    const pageLimit = Math.min(limit, MAX_LIMIT);
    const after = cursor === undefined ? startAfter : decodeCursor(cursor, listing);
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
        if (request && wanted(request)) items.push(request);
      }
      token = page.continuationToken;
      if (!token || items.length >= pageLimit || examined >= budget) break;
    }
    // Asking for exactly what is missing means the token (more rows exist) is also our "has more".
    const next = token ? encodeCursor(listing, lastRowKey ?? '') : undefined;
    return next ? { items, next } : { items };
  }

  /** The request an index row points at, if the row is still right about it. */
  private async resolveRow(row: IndexRow, keyOf: KeyOf, listedAt: Date): Promise<GuestRequest | undefined> {
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

/**
 * The index of the operation that made a transaction fail: Azure (and Azurite) start the error's
 * message with it ("1:The update condition specified in the request was not satisfied…").
 */
function failedOperation(err: unknown): number | undefined {
  const message = err instanceof Error ? err.message : '';
  const match = /^(\d+):/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Where a request's row in one index is; undefined when it has none there (a finished request's open row). */
type KeyOf = (request: GuestRequest) => IndexKey | undefined;

interface Committed {
  readonly etag?: string;
  readonly leaseTaken?: boolean;
}

function withLeaseOutcome(written: WriteResult, committed: Committed): WriteResult {
  return committed.leaseTaken === undefined ? written : { ...written, leaseTaken: committed.leaseTaken };
}

function matches(request: GuestRequest, row: IndexRow, keyOf: KeyOf): boolean {
  try {
    const key = keyOf(request);
    return key !== undefined && sameKey(key, row);
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
