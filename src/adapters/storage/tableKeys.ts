/**
 * Partition and row keys: how arbitrary ids and times become keys Azure Tables accepts and sorts.
 *
 * Keys may not contain / \ # ? or control characters, are limited to 1 KiB, and sort by ordinal
 * string comparison. Ids come from outside (Teams user ids look like "29:1abc…", request ids are
 * ours but nothing forces them to stay GUIDs), so every id is escaped before it enters a key.
 */

/** Conservative: 1 KiB of UTF-16 is 512 characters, and escaped keys are pure ASCII anyway. */
const MAX_KEY_LENGTH = 512;

/**
 * Reversible escaping: percent-encoding with "~" in place of "%". "%" itself is avoided because
 * some Azure Tables front ends have historically mishandled it in keys inside URLs; "~" is legal.
 * The result contains only [A-Za-z0-9-_.!'()*~].
 */
export function encodeKeyPart(value: string): string {
  if (value.length === 0) throw new RangeError('Storage keys cannot be built from an empty id');
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // encodeURIComponent throws on lone UTF-16 surrogates: such a string is not a usable id.
    throw new RangeError('Storage keys cannot be built from an id with unpaired surrogates');
  }
  return encoded.replace(/~/g, '%7E').replace(/%/g, '~');
}

export function decodeKeyPart(encoded: string): string {
  return decodeURIComponent(encoded.replace(/~/g, '%'));
}

/** Throws a clear error instead of letting the service answer 400 for an over-long key. */
export function checkedKey(key: string, what: string): string {
  if (key.length > MAX_KEY_LENGTH) throw new RangeError(`The ${what} key is too long for Azure Tables (${key.length} > ${MAX_KEY_LENGTH})`);
  return key;
}

/** Milliseconds of an ISO timestamp, refusing values that would sort wrongly. */
export function timeMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`${what} is not a valid timestamp after 1970: ${JSON.stringify(iso.slice(0, 40))}`);
  return ms;
}

/** Fixed-width, readable, ascending: the canonical ISO form (years 1970–9999 are all 24 characters). */
export function ascendingTime(iso: string, what: string): string {
  return new Date(timeMs(iso, what)).toISOString();
}

/** The largest millisecond value a JavaScript Date can hold, so inversion never goes negative. */
const MAX_DATE_MS = 8_640_000_000_000_000;

/** Fixed-width, descending: newer times give smaller strings, so an ascending scan is newest first. */
export function descendingTime(iso: string, what: string): string {
  return String(MAX_DATE_MS - timeMs(iso, what)).padStart(16, '0');
}
