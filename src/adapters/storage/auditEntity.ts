/**
 * How an audit entry is laid out: in the Requests table, in its request's own partition, with row
 * key "audit_" + its time plus a tie-breaker. Being in the request's partition is what lets a
 * status change and its audit entry commit in one entity-group transaction (both or neither), and
 * one range query returns a request's trail already in time order.
 */
import { randomBytes } from 'node:crypto';
import type { AuditEntry } from '../../domain/guestRequest';
import { ascendingTime } from './tableKeys';
import { requestPartitionKey } from './requestEntity';
import { fromJsonColumn, toAsciiJson } from './asciiJson';

export type AuditEntity = {
  partitionKey: string;
  rowKey: string;
  json: string;
  action: string;
  actorId: string;
  from?: string;
  to?: string;
};

/**
 * Entries in the same millisecond must neither collide nor shuffle: a per-process counter keeps a
 * process's own appends in order, and random bytes keep two processes from picking the same key.
 * (Across processes, same-millisecond entries have no meaningful order anyway.)
 */
let sequence = 0;

/** Sorts after nothing the request row uses ("request"), so the trail is one contiguous range. */
export const AUDIT_ROW_PREFIX = 'audit_';
/** The first row key after every audit row ("`" follows "_" in ASCII). */
export const AUDIT_ROW_END = 'audit`';

export function toAuditEntity(entry: AuditEntry): AuditEntity {
  sequence = (sequence + 1) % 1_000_000_000;
  const rowKey = `${AUDIT_ROW_PREFIX}${ascendingTime(entry.at, 'Audit entry time')}_${String(sequence).padStart(9, '0')}_${randomBytes(4).toString('hex')}`;
  const entity: AuditEntity = {
    partitionKey: requestPartitionKey(entry.requestId),
    rowKey,
    json: toAsciiJson(entry),
    action: entry.action,
    actorId: entry.actor.id,
  };
  // Undefined properties are left out rather than sent as nulls.
  if (entry.from !== undefined) entity.from = entry.from;
  if (entry.to !== undefined) entity.to = entry.to;
  return entity;
}

export function fromAuditEntity(entity: Record<string, unknown>): AuditEntry | undefined {
  return fromJsonColumn<AuditEntry>(entity);
}
