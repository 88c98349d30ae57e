/**
 * The index entities that let listByStatus / listByRequester read one partition in key order
 * instead of scanning every request.
 *
 *   partition "status-<Status>",       row "<createdAt ISO>_<escaped id>"          → oldest first
 *   partition "requester-<escaped id>", row "<inverted createdAt ms>_<escaped id>" → newest first
 *
 * An index row is only a hint (it cannot be written atomically with the request, which lives in
 * another partition); readers re-read the request and keep the row only if the request still maps
 * to exactly this partition and row key. See tableRequestStore.ts for the write order.
 */
import type { GuestRequest, RequestStatus } from '../../domain/guestRequest';
import { ascendingTime, checkedKey, descendingTime, encodeKeyPart } from './tableKeys';

export interface IndexKey {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** Stored in each index row; `writtenAt` lets readers leave young rows of in-flight writes alone. */
export interface IndexEntity {
  partitionKey: string;
  rowKey: string;
  requestId: string;
  writtenAt: string;
}

export function statusPartition(status: RequestStatus): string {
  return `status-${status}`;
}

export function requesterPartition(requesterId: string): string {
  return checkedKey(`requester-${encodeKeyPart(requesterId)}`, 'requester index partition');
}

export function statusIndexKey(request: GuestRequest): IndexKey {
  return {
    partitionKey: statusPartition(request.status),
    rowKey: checkedKey(`${ascendingTime(request.createdAt, 'createdAt')}_${encodeKeyPart(request.id)}`, 'status index row'),
  };
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
