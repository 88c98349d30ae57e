/**
 * Per-requester limits (MAX_PENDING_PER_REQUESTER, MAX_REQUESTS_PER_DAY) that hold under
 * concurrency, for TableRequestStore.submit.
 *
 * A request lives in its own partition and the requester's index rows in another, so no
 * transaction can cover "count the requester's requests, then store one". Instead every submit
 * first reserves its place in one row per requester, written only with If-Match on the eTag it read
 * (or as an insert when there is none): of N simultaneous submits exactly one wins each round,
 * the others read again and count again, so no more than the limit are ever reserved.
 *
 *   table <prefix>RequestIndex, partition "requester-<escaped requester id>", row "-quota"
 *   (beside the requester's index rows, so that the reservation and the new request's row are one
 *   transaction: requestIndex.ts)
 *     pending  "<escaped request id>@<minute> …"  requests reserved and, when last looked at, Pending
 *     daily    "<minute>:<count> …"               requests reserved per minute, for the last 24 hours
 *
 * This process remembers each requester's row as it last wrote it, so a requester's next submit
 * here goes straight to the conditional write (a row another process wrote since fails it, and
 * is read). The first read of a row is one query of the partition (see read).
 *
 * The pending list over-approximates: an entry is dropped only once its request is read and is no
 * longer Pending (nothing ever returns to Pending), or, never created (a submit that failed or
 * crashed between reservation and write), once it is RESERVATION_GRACE_MINUTES old. The requests
 * are read only when the list is at the limit, so a submit under its limits costs one write here,
 * and one read when this process has not written the row before. The daily count is a rolling 24 hours counted by the minute (the minute 24 hours
 * back counts whole: at worst a request is refused up to a minute early, never let through).
 *
 * The row is created from the requester's index the first time (requests from before it existed,
 * or from when the limits were off); after that, every submit goes through it.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { GuestRequest, RequestStatus } from '../../domain/guestRequest';
import { ConcurrencyConflict, type RequesterLimits } from '../../domain/ports';
import { etagAt } from './detachedText';
import { guarded, statusOf, tolerating, toStorageError } from './storageErrors';
import { RecentMap } from '../system/recentMap';
import { decodeKeyPart, encodeKeyPart, timeMs } from './tableKeys';
import { requesterPartition } from './requestIndex';

/** Sorts before every index row of the partition (they start with a digit): read first (see read). */
const QUOTA_ROW = '-quota';
/** Requesters whose row this process remembers. */
const REMEMBERED = 10_000;
const DAY_MINUTES = 24 * 60;
/** A reservation whose request is still missing after this long was never going to be written. */
export const RESERVATION_GRACE_MINUTES = 10;
/** Rounds of read, count, conditional write before giving up (each lost round means another submit won). */
const MAX_ATTEMPTS = 25;
/** Without a pending limit, the list is still kept (it dedupes replays in flight) but refreshed past this size. */
const UNLIMITED_REFRESH_AT = 50;

export interface QuotaState {
  /** Request id → minute reserved, for requests Pending when last looked at (or not yet written). */
  readonly pending: ReadonlyMap<string, number>;
  /** Minute → requests reserved in it. */
  readonly daily: ReadonlyMap<number, number>;
}

type QuotaEntity = {
  partitionKey: string;
  rowKey: string;
  pending: string;
  daily: string;
};

/** The limits row as read: its counts and eTag, or (no row yet) the counts it will start from. */
interface QuotaRow {
  readonly state: QuotaState;
  readonly etag?: string;
}

/** What the quota needs from the store: a request's current status, and the requester's requests for the first count. */
export interface QuotaSources {
  statusOf(requestId: string): Promise<RequestStatus | undefined>;
  /** The requester's requests, newest first, as far back as is needed for `since` (bounded). */
  recentOf(requesterId: string): Promise<readonly GuestRequest[]>;
}

export function quotaPartition(requesterId: string): string {
  return requesterPartition(requesterId);
}

/**
 * What reserve did: `reserved` a place now; `held` found one already reserved for this id (a replay
 * in flight: counted once); or the limit that refuses the request.
 */
export type Reservation = 'reserved' | 'held' | 'pending' | 'daily';

/** An entity of the requester's partition written in the same transaction as the reservation. */
export type AlongsideEntity = { partitionKey: string; rowKey: string } & Record<string, unknown>;

export function minuteOf(iso: string): number {
  return Math.floor(timeMs(iso, 'createdAt') / 60_000);
}

export class RequesterQuota {
  constructor(
    private readonly client: TableClient,
    private readonly sources: QuotaSources,
  ) {}

  /**
   * Reserves the request's place within its requester's limits; resolves with the limit that
   * refuses it instead, if one does. A request already reserved (a replay in flight) passes
   * without counting twice. `alongside` (the request's index row) is upserted in the same
   * transaction as the reservation; it is not written when the request is refused.
   */
  async reserve(request: GuestRequest, limits: RequesterLimits, alongside: readonly AlongsideEntity[] = []): Promise<Reservation> {
    const partitionKey = quotaPartition(request.requester.id);
    const now = minuteOf(request.createdAt);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // This process's last word on the row, if it has one: right unless another process wrote
      // since, which the conditional write below finds out (and the next round reads).
      const kept = attempt === 1 ? this.known.get(partitionKey) : undefined;
      const early = attempt === 1 && !kept ? await this.readAhead(partitionKey) : undefined;
      const remembered = (kept && { state: parseQuota(kept), etag: kept.etag }) ?? early;
      const row = remembered ?? (await this.read(partitionKey, request.requester.id));
      let state = row.state;
      if (state.pending.has(request.id)) return 'held';
      state = forget(state, now);
      if (state.pending.size >= (limits.maxPending || UNLIMITED_REFRESH_AT)) state = await this.refresh(state, now);
      const refused = overLimit(state, limits, now);
      if (refused) return refused;
      const reserved = withReservation(state, request.id, now);
      const entity: QuotaEntity = { partitionKey, rowKey: QUOTA_ROW, ...formatQuota(reserved) };
      const quota: TransactionAction = row.etag ? ['update', entity, 'Replace', { etag: row.etag }] : ['create', entity];
      const rows: TransactionAction[] = alongside.map((e) => ['upsert', e, 'Replace']);
      try {
        let etag: string | undefined;
        if (rows.length === 0) {
          etag = (row.etag ? await this.client.updateEntity(entity, 'Replace', { etag: row.etag }) : await this.client.createEntity(entity))
            .etag;
        } else {
          etag = etagAt(await this.client.submitTransaction([quota, ...rows]), 0);
        }
        if (etag) this.known.set(partitionKey, { ...formatQuota(reserved), etag });
        else this.known.delete(partitionKey);
        this.ahead.delete(partitionKey);
        return 'reserved';
      } catch (err) {
        this.known.delete(partitionKey);
        const status = statusOf(err);
        if (status !== 409 && status !== 412) throw toStorageError(err, `reserve requester limits in table ${this.client.tableName}`);
      }
      // Another submit of the same person won this round (or what we remembered was old): wait a
      // little (spread out) unless it was only our memory, count again.
      if (!remembered) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 5)));
    }
    throw new ConcurrencyConflict(`${partitionKey}/${QUOTA_ROW}`);
  }

  /**
   * Reads the requester's row ahead of their submit (their form is open), unless this process
   * knows it already: the submit then makes its one write and no read. Like a remembered row, it
   * may be stale by the time it is used; the conditional write finds that out. Failures are left
   * to the submit, which reads for itself.
   */
  prepare(requesterId: string): Promise<void> {
    const partitionKey = quotaPartition(requesterId);
    if (this.known.get(partitionKey) || this.ahead.get(partitionKey)) return Promise.resolve();
    const reading = this.read(partitionKey, requesterId).then(
      (row) => ({ ...formatQuota(row.state), ...(row.etag ? { etag: row.etag } : {}) }),
      () => undefined,
    );
    this.ahead.set(partitionKey, reading);
    return reading.then(() => undefined);
  }

  /** The read `prepare` made (or is making) for this row, taken once. */
  private async readAhead(partitionKey: string): Promise<QuotaRow | undefined> {
    const reading = this.ahead.get(partitionKey);
    if (!reading) return undefined;
    this.ahead.delete(partitionKey);
    const row = await reading;
    return row && { state: parseQuota(row), ...(row.etag ? { etag: row.etag } : {}) };
  }

  /**
   * The row as stored, in one query of the requester's partition: the limits row sorts first, so
   * the first entity is either it, or the newest of the requester's index rows (requests from
   * before the row existed, or from when the limits were off: counted once from the index), or
   * nothing at all (a first request: nothing to count).
   */
  private async read(partitionKey: string, requesterId: string): Promise<QuotaRow> {
    const first = await guarded(`read requester limits in table ${this.client.tableName}`, async () => {
      const pages = this.client.listEntities<QuotaEntity>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } }).byPage({
        maxPageSize: 1,
      });
      // An empty page with a continuation token is legal; a few more pages settle it.
      for (let page = 0; page < 5; page++) {
        const next = await pages.next();
        if (next.done) return undefined;
        const [entity] = [...next.value];
        if (entity) return entity;
        if (!next.value.continuationToken) return undefined;
      }
      return undefined;
    });
    if (first?.rowKey === QUOTA_ROW) return { state: parseQuota(first), etag: first.etag };
    return { state: first ? await this.firstCount(requesterId) : { pending: new Map(), daily: new Map() } };
  }

  /**
   * Each requester's limits row as this process last wrote it, kept as the row's own compact text
   * (a few hundred bytes, not two Maps) and parsed when used; bounded, least recently used out.
   */
  private readonly known = new RecentMap<{ pending: string; daily: string; etag: string }>(REMEMBERED);

  /** Rows read ahead of a submit (prepare) and not yet used by one, as compact text like `known`; bounded like it. */
  private readonly ahead = new RecentMap<Promise<{ pending: string; daily: string; etag?: string } | undefined>>(REMEMBERED);

  /**
   * Takes back a reservation whose request turned out to exist already (a form sent again after its
   * request left Pending): best effort, one round; a reservation left behind only errs on the strict side.
   */
  async unreserve(request: GuestRequest): Promise<void> {
    const partitionKey = quotaPartition(request.requester.id);
    this.known.delete(partitionKey);
    const row = await tolerating(`read requester limits in table ${this.client.tableName}`, [404], () =>
      this.client.getEntity<QuotaEntity>(partitionKey, QUOTA_ROW),
    );
    if (!row) return;
    const state = parseQuota(row);
    const minute = state.pending.get(request.id);
    if (minute === undefined) return;
    const pending = new Map(state.pending);
    pending.delete(request.id);
    const daily = new Map(state.daily);
    const count = (daily.get(minute) ?? 0) - 1;
    if (count > 0) daily.set(minute, count);
    else daily.delete(minute);
    const entity: QuotaEntity = { partitionKey, rowKey: QUOTA_ROW, ...formatQuota({ pending, daily }) };
    await tolerating(`release requester limits in table ${this.client.tableName}`, [404, 412], () =>
      this.client.updateEntity(entity, 'Replace', { etag: row.etag }),
    );
  }

  /** Drops the pending entries whose requests have left Pending, or were never written. */
  private async refresh(state: QuotaState, now: number): Promise<QuotaState> {
    const entries = [...state.pending];
    const statuses = await Promise.all(entries.map(([id]) => this.sources.statusOf(id)));
    const pending = new Map<string, number>();
    entries.forEach(([id, minute], i) => {
      const status = statuses[i];
      if (status === 'Pending' || (status === undefined && now - minute < RESERVATION_GRACE_MINUTES)) pending.set(id, minute);
    });
    return { pending, daily: state.daily };
  }

  /** The count before the row existed, from the requester's index. */
  private async firstCount(requesterId: string): Promise<QuotaState> {
    const pending = new Map<string, number>();
    const daily = new Map<number, number>();
    for (const request of await this.sources.recentOf(requesterId)) {
      const minute = minuteOf(request.createdAt);
      if (request.status === 'Pending') pending.set(request.id, minute);
      daily.set(minute, (daily.get(minute) ?? 0) + 1);
    }
    return { pending, daily };
  }
}

/** The limit the state is already at, if any: one more request would exceed it. */
export function overLimit(state: QuotaState, limits: RequesterLimits, now: number): 'pending' | 'daily' | undefined {
  if (limits.maxPending && state.pending.size >= limits.maxPending) return 'pending';
  if (limits.maxPerDay && dailyCount(state, now) >= limits.maxPerDay) return 'daily';
  return undefined;
}

/** Requests reserved in the 24 hours up to minute `now` (the minute 24 hours back included). */
export function dailyCount(state: QuotaState, now: number): number {
  let count = 0;
  for (const [minute, n] of state.daily) if (minute >= now - DAY_MINUTES) count += n;
  return count;
}

/** Without the minutes that have left the 24-hour window (the row stays small). */
export function forget(state: QuotaState, now: number): QuotaState {
  return { pending: state.pending, daily: new Map([...state.daily].filter(([minute]) => minute >= now - DAY_MINUTES)) };
}

export function withReservation(state: QuotaState, requestId: string, now: number): QuotaState {
  return {
    pending: new Map([...state.pending, [requestId, now]]),
    daily: new Map([...state.daily, [now, (state.daily.get(now) ?? 0) + 1]]),
  };
}

/**
 * Compact text, so that even the largest limits fit one row: a string property holds 32K
 * characters, 1000 pending entries take ~24K, and 1440 minutes of counts ~17K.
 */
export function formatQuota(state: QuotaState): { pending: string; daily: string } {
  return {
    pending: [...state.pending].map(([id, minute]) => `${encodeKeyPart(id)}@${minute}`).join(' '),
    daily: [...state.daily].map(([minute, n]) => `${minute}:${n}`).join(' '),
  };
}

/** Reads the row back; a malformed entry is dropped rather than trusted (the limit then errs by one). */
export function parseQuota(entity: { pending?: unknown; daily?: unknown }): QuotaState {
  const pending = new Map<string, number>();
  const daily = new Map<number, number>();
  for (const entry of words(entity.pending)) {
    const match = /^([A-Za-z0-9\-_.!'()*~]+)@(\d+)$/.exec(entry);
    if (!match) continue;
    try {
      pending.set(decodeKeyPart(match[1]!), Number(match[2]));
    } catch {
      // Not an escaped id: dropped.
    }
  }
  for (const entry of words(entity.daily)) {
    const match = /^(\d+):(\d+)$/.exec(entry);
    if (match) daily.set(Number(match[1]), (daily.get(Number(match[1])) ?? 0) + Number(match[2]));
  }
  return { pending, daily };
}

function words(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}
