/**
 * RequestStore in memory, behaving like TableRequestStore where the use cases can tell:
 *   - every write gets a new eTag; update with any other eTag throws ConcurrencyConflict, update of
 *     an unknown id and create of an existing one throw the same StorageError (404 / 409);
 *   - a write and its audit entry commit together or neither (a bad entry is a RangeError before
 *     anything is stored, an injected failure stores nothing);
 *   - listings use the table store's own keys and cursors (src/adapters/storage/requestIndex.ts):
 *     open requests of a status oldest first, requester newest first, createdSince, opaque cursors
 *     refused with a RangeError when malformed or from another listing, limit capped at 1000;
 *   - a request's leases are kept in `requestLeases` (a MemoryLeases, named "<kind>-<request id>",
 *     shared with the workflow's named leases when given one); a write takes one only if it has no
 *     entry at all, and releases one only for its owner, as the table store's transaction does;
 *   - what is read back is a JSON copy (undefined fields vanish, nothing is shared).
 * test/support/contracts/requestStoreContract.ts runs the same checks against both stores.
 *
 * For tests: `intercept` runs a hook at the next call of a method (throw = injected failure; do
 * another write = a racing process), and `requests()` / `audit.all()` show everything stored.
 */
import {
  REQUEST_STATUSES,
  type ApprovalMessage,
  type AuditEntry,
  type GuestRequest,
  type RequestStatus,
} from '../../../src/domain/guestRequest';
import {
  ConcurrencyConflict,
  type CardsSaved,
  type LeaseChange,
  type GetOptions,
  type ListOptions,
  type Page,
  type RequesterLimits,
  type RequestLeases,
  type RequestStore,
  type StoredRequest,
  type SubmitOutcome,
  type WriteOptions,
  type WriteResult,
} from '../../../src/domain/ports';
import {
  decodeCursor,
  encodeCursor,
  OPEN_PARTITION,
  openIndexKey,
  openListing,
  openRowKey,
  requesterIndexKey,
  requesterPartition,
  type IndexKey,
} from '../../../src/adapters/storage/requestIndex';
import { systemClock } from '../../../src/adapters/system/systemClock';
import { StorageError } from '../../../src/adapters/storage/storageErrors';
import { encodeKeyPart } from '../../../src/adapters/storage/tableKeys';
import { jsonCopy } from './jsonCopy';
import { MemoryApprovalMessages } from './memoryApprovalMessages';
import { MemoryAuditTrail } from './memoryAuditTrail';
import { MemoryLeases } from './memoryLeases';
import { yieldTurn } from './yieldTurn';

/** As Azure's page size: a larger limit is served in pages of this many. */
const MAX_LIMIT = 1000;
const DAY_MS = 24 * 3_600_000;

export type StoreOperation = keyof RequestStore;
type Hook = () => Promise<void> | void;

interface Stored {
  readonly json: string;
  readonly etag: string;
}

export class MemoryRequestStore implements RequestStore {
  readonly requestLeases: MemoryLeases;
  readonly leases: RequestLeases;

  constructor(leases?: MemoryLeases) {
    const named = leases ?? new MemoryLeases(systemClock);
    this.requestLeases = named;
    this.leases = {
      tryAcquire: (id, kind, owner, ttlMs) => named.tryAcquire(`${kind}-${id}`, owner, ttlMs),
      renew: (id, kind, owner, ttlMs) => named.renew(`${kind}-${id}`, owner, ttlMs),
      release: (id, kind, owner) => named.release(`${kind}-${id}`, owner),
    };
  }

  private readonly rows = new Map<string, Stored>();
  private readonly hooks = new Map<StoreOperation, Hook[]>();
  private version = 0;
  readonly audit = new MemoryAuditTrail();
  readonly approvalMessages = new MemoryApprovalMessages();
  /** Committed request writes (creates and updates). */
  writes = 0;

  /** Runs `hook` once, at the start of the next call of `operation` (queued: one per call). */
  intercept(operation: StoreOperation, hook: Hook): void {
    this.hooks.set(operation, [...(this.hooks.get(operation) ?? []), hook]);
  }

  /** Every stored request, in creation order (a test's view; the domain lists through the indexes). */
  requests(): GuestRequest[] {
    return [...this.rows.values()].map((row) => JSON.parse(row.json) as GuestRequest);
  }

  async create(request: GuestRequest, options: WriteOptions = {}): Promise<WriteResult> {
    await this.enter('create');
    // Everything is checked before anything is stored, as the table store builds its entities first.
    const commitAudit = this.prepareAudit(request, options);
    keysOf(request);
    if (this.rows.has(request.id))
      throw new StorageError(`Storage: a request with id ${request.id} already exists`, 409, 'EntityAlreadyExists');
    const etag = this.commit(request, commitAudit);
    return { value: request, etag, ...this.changeLease(request.id, options.lease) };
  }

  /**
   * Counts and stores in one synchronous step after the call is entered, so concurrent submits are
   * serialised exactly as the table store's eTag-guarded quota row serialises them.
   */
  async submit(
    request: GuestRequest,
    options: { readonly audit: AuditEntry; readonly limits: RequesterLimits; readonly lease?: LeaseChange },
  ): Promise<SubmitOutcome> {
    await this.enter('submit');
    const existing = this.rows.get(request.id);
    if (existing) return { kind: 'existing', request: { value: JSON.parse(existing.json) as GuestRequest, etag: existing.etag } };
    const commitAudit = this.prepareAudit(request, options);
    keysOf(request);
    const mine = this.requests().filter((r) => r.requester.id === request.requester.id);
    const { maxPending, maxPerDay } = options.limits;
    if (maxPending && mine.filter((r) => r.status === 'Pending').length >= maxPending) return { kind: 'overLimit', limit: 'pending' };
    const dayStart = Date.parse(request.createdAt) - DAY_MS;
    if (maxPerDay && mine.filter((r) => Date.parse(r.createdAt) >= dayStart).length >= maxPerDay)
      return { kind: 'overLimit', limit: 'daily' };
    const etag = this.commit(request, commitAudit);
    return { kind: 'created', request: { value: request, etag, ...this.changeLease(request.id, options.lease) } };
  }

  /** Always reads (`recent` is the table store's own memory of versions; here every read is one). */
  async get(id: string, options: GetOptions = {}): Promise<StoredRequest | undefined> {
    await this.enter('get');
    encodeKeyPart(id); // an id no key can be built from is a RangeError there too
    const row = this.rows.get(id);
    if (!row) return undefined;
    const stored = { value: JSON.parse(row.json) as GuestRequest, etag: row.etag };
    return options.withApprovalMessages ? { ...stored, approvalMessages: this.approvalMessages.list(id) } : stored;
  }

  async update(request: GuestRequest, etag: string, options: WriteOptions = {}): Promise<WriteResult> {
    await this.enter('update');
    const commitAudit = this.prepareAudit(request, options);
    keysOf(request);
    const row = this.rows.get(request.id);
    if (!row) throw new StorageError(`Storage: request ${request.id} does not exist`, 404, 'ResourceNotFound');
    if (row.etag !== etag) throw new ConcurrencyConflict(request.id);
    return { value: request, etag: this.commit(request, commitAudit), ...this.changeLease(request.id, options.lease) };
  }

  /** A lease change riding on a committed write (synchronous: nothing runs in between). */
  private changeLease(requestId: string, lease: LeaseChange | undefined): { leaseTaken?: boolean } {
    if (lease?.release) this.requestLeases.releaseNow(`${lease.release.kind}-${requestId}`, lease.release.owner);
    if (!lease?.take) return {};
    return { leaseTaken: this.requestLeases.takeIfAbsent(`${lease.take.kind}-${requestId}`, lease.take.owner, lease.take.ttlMs) };
  }

  async listByStatus(status: RequestStatus, limit: number, cursor?: string, options: ListOptions = {}): Promise<Page<GuestRequest>> {
    await this.enter('listByStatus');
    if (!REQUEST_STATUSES.includes(status)) throw new RangeError(`Unknown request status: ${String(status)}`);
    const { since, wanted, listing } = openListing(status, cursor, options);
    return this.page(OPEN_PARTITION, limit, cursor, openIndexKey, since, wanted, listing);
  }

  async listOpen(limit: number, cursor?: string, options: ListOptions = {}): Promise<Page<GuestRequest>> {
    await this.enter('listOpen');
    const { since } = openListing(undefined, cursor, options);
    return this.page(OPEN_PARTITION, limit, cursor, openIndexKey, since);
  }

  async listByRequester(requesterId: string, limit: number, cursor?: string): Promise<Page<GuestRequest>> {
    await this.enter('listByRequester');
    return this.page(requesterPartition(requesterId), limit, cursor, requesterIndexKey);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.enter('appendAudit');
    this.audit.prepare(entry)();
  }

  async listAudit(requestId: string): Promise<AuditEntry[]> {
    await this.enter('listAudit');
    return this.audit.list(requestId);
  }

  async saveApprovalMessage(message: ApprovalMessage): Promise<void> {
    await this.enter('saveApprovalMessage');
    this.approvalMessages.save(message);
  }

  async saveApprovalMessages(
    requestId: string,
    messages: readonly ApprovalMessage[],
    options: { readonly release?: LeaseChange['release']; readonly unchangedSince?: string } = {},
  ): Promise<CardsSaved> {
    await this.enter('saveApprovalMessages');
    for (const message of messages) {
      if (message.requestId !== requestId) throw new RangeError(`Approval message of ${message.requestId} saved with request ${requestId}`);
    }
    for (const message of messages) this.approvalMessages.save(message);
    const row = this.rows.get(requestId);
    // As the table store's merge of no properties, with every change to the cards: same request, new eTag.
    // Not when the request changed since the caller's version (RequestStore.saveApprovalMessages).
    const changed = options.unchangedSince !== undefined && row?.etag !== options.unchangedSince;
    const touched = row && !changed && (messages.length > 0 || options.unchangedSince !== undefined);
    const etag = touched ? `W/"memory-${++this.version}"` : undefined;
    if (row && etag) this.rows.set(requestId, { json: row.json, etag });
    if (options.release) this.requestLeases.releaseNow(`${options.release.kind}-${requestId}`, options.release.owner);
    if (changed) return { requestChanged: true };
    if (options.unchangedSince === undefined || !row) return { requestChanged: false };
    return { requestChanged: false, requestEtag: etag };
  }

  async listApprovalMessages(requestId: string): Promise<ApprovalMessage[]> {
    await this.enter('listApprovalMessages');
    return this.approvalMessages.list(requestId);
  }

  private async enter(operation: StoreOperation): Promise<void> {
    await yieldTurn();
    const queued = this.hooks.get(operation);
    const hook = queued?.shift();
    if (queued && queued.length === 0) this.hooks.delete(operation);
    if (hook) await hook();
  }

  /** The audit entry's commit, checked now (wrong request or unorderable time: RangeError, nothing stored). */
  private prepareAudit(request: GuestRequest, options: WriteOptions): (() => void) | undefined {
    if (!options.audit) return undefined;
    if (options.audit.requestId !== request.id)
      throw new RangeError(`Audit entry for ${options.audit.requestId} written with request ${request.id}`);
    return this.audit.prepare(options.audit);
  }

  /** The request and its entry, in one synchronous step: nothing can run in between. */
  private commit(request: GuestRequest, commitAudit: (() => void) | undefined): string {
    const etag = `W/"memory-${++this.version}"`;
    this.rows.set(request.id, { json: JSON.stringify(request), etag });
    commitAudit?.();
    this.writes++;
    return etag;
  }

  private page(
    partitionKey: string,
    limit: number,
    cursor: string | undefined,
    keyOf: (request: GuestRequest) => IndexKey | undefined,
    startAfter?: string,
    wanted: (request: GuestRequest) => boolean = () => true,
    /** What a cursor is tied to: the partition, or one status's listing of it. */
    listing: string = partitionKey,
  ): Page<GuestRequest> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    const after = cursor === undefined ? startAfter : decodeCursor(cursor, listing);
    const rows = this.requests()
      .flatMap((request) => {
        const key = keyOf(request);
        return key && wanted(request) ? [{ request, key }] : [];
      })
      .filter(({ key }) => key.partitionKey === partitionKey && (after === undefined || key.rowKey > after))
      .sort((a, b) => (a.key.rowKey < b.key.rowKey ? -1 : a.key.rowKey > b.key.rowKey ? 1 : 0));
    const taken = rows.slice(0, Math.min(limit, MAX_LIMIT));
    const last = taken[taken.length - 1];
    const items = taken.map(({ request }) => jsonCopy(request));
    return rows.length > taken.length && last ? { items, next: encodeCursor(listing, last.key.rowKey) } : { items };
  }
}

/** The index keys a request needs; a request that cannot have them is refused (RangeError) like the table store does. */
function keysOf(request: GuestRequest): IndexKey[] {
  return [openRowKey(request), requesterIndexKey(request)];
}
