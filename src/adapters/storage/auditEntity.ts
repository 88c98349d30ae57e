/**
 * How an audit entry is laid out: partition = the request, row key = its time plus a tie-breaker,
 * so one partition query returns a request's trail already in time order.
 */
import { randomBytes } from 'node:crypto';
import type { AuditEntry } from '../../domain/guestRequest';
import { ascendingTime, checkedKey, encodeKeyPart } from './tableKeys';
import { toAsciiJson } from './asciiJson';

export interface AuditEntity {
  partitionKey: string;
  rowKey: string;
  json: string;
  action: string;
  actorId: string;
  from?: string;
  to?: string;
}

/**
 * Entries in the same millisecond must neither collide nor shuffle: a per-process counter keeps a
 * process's own appends in order, and random bytes keep two processes from picking the same key.
 * (Across processes, same-millisecond entries have no meaningful order anyway.)
 */
let sequence = 0;

export function auditPartitionKey(requestId: string): string {
  return checkedKey(encodeKeyPart(requestId), 'audit partition');
}

export function toAuditEntity(entry: AuditEntry): AuditEntity {
  sequence = (sequence + 1) % 1_000_000_000;
  const rowKey = `${ascendingTime(entry.at, 'Audit entry time')}_${String(sequence).padStart(9, '0')}_${randomBytes(4).toString('hex')}`;
  const entity: AuditEntity = {
    partitionKey: auditPartitionKey(entry.requestId),
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
  if (typeof entity.json !== 'string') return undefined;
  try {
    return JSON.parse(entity.json) as AuditEntry;
  } catch {
    return undefined;
  }
}
