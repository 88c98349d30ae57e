/**
 * The index entities that let listByStatus / listByRequester read one partition in key order
 * instead of scanning every request.
 *
 *   partition "open",                   row "<createdAt ISO>_<escaped id>"          → oldest first
 *   partition "requester-<escaped id>", row "<inverted createdAt ms>_<escaped id>" → newest first
 *                                       row "-quota": the requester's limits (requesterQuota.ts)
 *
 * "open" holds the requests with work left (domain/lifecycle/workLeft.ts): a row is written when a
 * request opens and removed when it is finished, and its key never changes in between, so a
 * status change (Pending → Approved → Invited) moves no row. Listing a status walks the open
 * requests and keeps those in it.
 *
 * An index row is only a hint (it cannot be written atomically with the request, which lives in
 * another partition); readers re-read the request and keep the row only if the request still maps
 * to exactly this partition and row key. See tableRequestStore.ts for the write order.
 */
import type { GuestRequest, RequestStatus } from '../../domain/guestRequest';
import type { ListOptions } from '../../domain/ports';
import { hasWorkLeft } from '../../domain/lifecycle/workLeft';
import { ascendingTime, checkedKey, descendingTime, encodeKeyPart } from './tableKeys';

export interface IndexKey {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** Stored in each index row; `writtenAt` lets readers leave young rows of in-flight writes alone. */
export type IndexEntity = {
  partitionKey: string;
  rowKey: string;
  requestId: string;
  writtenAt: string;
};

export const OPEN_PARTITION = 'open';
/** Index rows start with a digit (both key forms are times); the requester's "-quota" row does not. */
export const INDEX_ROWS_FROM = '0';
export const INDEX_ROWS_TO = ':';

export function requesterPartition(requesterId: string): string {
  return checkedKey(`requester-${encodeKeyPart(requesterId)}`, 'requester index partition');
}

/** Where the request's open row is, whether or not it has one now (the key never changes). */
export function openRowKey(request: GuestRequest): IndexKey {
  return {
    partitionKey: OPEN_PARTITION,
    rowKey: checkedKey(`${ascendingTime(request.createdAt, 'createdAt')}_${encodeKeyPart(request.id)}`, 'open index row'),
  };
}

/**
 * A listing of open requests (all of them, or one status's): where it starts (createdSince: open
 * rows are keyed "<createdAt>_<id>", so starting after the bare time lists exactly the requests
 * created at or after it, without reading older rows), which of the rows it keeps, and what its
 * cursors are tied to. One place for both stores.
 */
export function openListing(
  status: RequestStatus | undefined,
  cursor: string | undefined,
  options: ListOptions,
): { since?: string; wanted: (request: GuestRequest) => boolean; listing: string } {
  return {
    since: cursor === undefined && options.createdSince ? ascendingTime(options.createdSince, 'createdSince') : undefined,
    wanted: status ? (request) => request.status === status : () => true,
    listing: status ? `${OPEN_PARTITION}:${status}` : OPEN_PARTITION,
  };
}

/** The request's open row while it has work left; undefined once it is finished. */
export function openIndexKey(request: GuestRequest): IndexKey | undefined {
  return hasWorkLeft(request) ? openRowKey(request) : undefined;
}

export function requesterIndexKey(request: GuestRequest): IndexKey {
  return {
    partitionKey: requesterPartition(request.requester.id),
    rowKey: checkedKey(`${descendingTime(request.createdAt, 'createdAt')}_${encodeKeyPart(request.id)}`, 'requester index row'),
  };
}

export function sameKey(a: IndexKey, b: IndexKey): boolean {
  return a.partitionKey === b.partitionKey && a.rowKey === b.rowKey;
}

/**
 * Cursors are the last row key returned, tied to their partition so that a cursor from one listing
 * handed to another fails loudly instead of silently skipping rows. Opaque to callers (base64url).
 * A row key cursor (rather than the service's continuation token) stays valid when rows are
 * deleted or added in between, which the index does all the time.
 */
export function encodeCursor(partitionKey: string, rowKey: string): string {
  return Buffer.from(JSON.stringify({ p: partitionKey, k: rowKey }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, partitionKey: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('Invalid page cursor');
  }
  const { p, k } = (parsed ?? {}) as { p?: unknown; k?: unknown };
  if (typeof k !== 'string' || typeof p !== 'string') throw new RangeError('Invalid page cursor');
  if (p !== partitionKey) throw new RangeError('This page cursor belongs to a different listing');
  return k;
}
