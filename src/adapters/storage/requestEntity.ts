/**
 * How a GuestRequest is laid out as a table entity.
 *
 * The whole request is kept as JSON (the single source of truth, so new optional fields need no
 * schema work), plus a few flat columns that only exist so an operator browsing the table in
 * Storage Explorer can see what is what. Nothing reads the flat columns back.
 *
 * Azure Tables limits a string property to 64 KiB (32 768 UTF-16 units) and an entity to 1 MiB.
 * Domain fields are bounded (emails ≤ 254, texts ≤ 1000 characters), so a request's JSON is a few
 * KB even with every character escaped (see asciiJson.ts: up to 6 characters each); it is still
 * split over json0, json1, … so that an unexpectedly long field (a redeem URL, a Graph error
 * message) cannot make a write fail, and refused with a clear error if absurdly large.
 */
import type { GuestRequest } from '../../domain/guestRequest';
import { checkedKey, encodeKeyPart } from './tableKeys';
import { toAsciiJson } from './asciiJson';

export const REQUEST_ROW_KEY = 'request';

const CHUNK_CHARS = 30_000;
/** Leaves room under 1 MiB (UTF-16: 2 bytes a character) for the flat columns and overhead. */
const MAX_JSON_CHARS = 400_000;
const SCHEMA_VERSION = 1;

export type RequestEntity = {
  partitionKey: string;
  rowKey: string;
  schema: number;
  status: string;
  requesterId: string;
  guestEmail: string;
  createdAt: string;
  updatedAt: string;
  jsonParts: number;
  [jsonN: `json${number}`]: string;
};

export function requestPartitionKey(id: string): string {
  return checkedKey(encodeKeyPart(id), 'request');
}

export function toRequestEntity(request: GuestRequest): RequestEntity {
  const json = toAsciiJson(request);
  if (json.length > MAX_JSON_CHARS) {
    throw new RangeError(`Request ${request.id} is too large to store (${json.length} characters of JSON)`);
  }
  const chunks = splitIntoChunks(json, CHUNK_CHARS);
  const entity: RequestEntity = {
    partitionKey: requestPartitionKey(request.id),
    rowKey: REQUEST_ROW_KEY,
    schema: SCHEMA_VERSION,
    status: request.status,
    requesterId: request.requester.id,
    guestEmail: request.guest.email,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    jsonParts: chunks.length,
  };
  chunks.forEach((chunk, i) => {
    entity[`json${i}`] = chunk;
  });
  return entity;
}

/** Returns undefined when the entity is not a readable request (corrupt or from a future schema). */
export function fromRequestEntity(entity: Record<string, unknown>): GuestRequest | undefined {
  const parts = entity.jsonParts;
  if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 1) return undefined;
  let json = '';
  for (let i = 0; i < parts; i++) {
    const chunk = entity[`json${i}`];
    if (typeof chunk !== 'string') return undefined;
    json += chunk;
  }
  try {
    const value = JSON.parse(json) as GuestRequest;
    return typeof value === 'object' && value !== null && typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits without cutting a surrogate pair in half (a lone surrogate would not survive the wire).
 * The JSON is ASCII today, so this is a guard for the day that changes.
 */
function splitIntoChunks(text: string, size: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks.length > 0 ? chunks : [''];
}
