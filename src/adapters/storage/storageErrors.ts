/**
 * Turning Azure SDK errors into short, safe ones.
 *
 * A RestError carries the full request (URL, which holds the SAS token for SAS connection strings,
 * and signed headers) and the raw response. Loggers such as pino serialise every own property of
 * an error, so we never rethrow it or keep it as `cause`: callers get a StorageError that says
 * which operation failed and how, and nothing else.
 */

export class StorageError extends Error {
  constructor(
    message: string,
    /** HTTP status when the service answered; absent for network failures. */
    readonly statusCode?: number,
    /** The service's error code (e.g. "ResourceNotFound") or the network error code. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** The HTTP status of an SDK error, if the service answered at all. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

export function codeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code?: unknown }).code;
    // Only short identifier-like codes: anything else could be free text we have not vetted.
    if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * `operation` should name what we were doing and on which table, e.g. "read request abc in table
 * guestaccessRequests"; it must not contain secrets (table names and ids are fine).
 */
export function toStorageError(err: unknown, operation: string): StorageError {
  if (err instanceof StorageError) return err;
  const status = statusOf(err);
  const code = codeOf(err);
  const how = status !== undefined ? `HTTP ${status}${code ? ` ${code}` : ''}` : (code ?? 'no response');
  return new StorageError(`Storage: ${operation} failed (${how})`, status, code);
}

/** Runs one SDK call, translating any failure. */
export async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toStorageError(err, operation);
  }
}

/**
 * Like guarded, but the service's answers in `expected` (404 for "not there", 412 for "changed
 * since") are outcomes, not failures: they resolve to undefined.
 */
export async function tolerating<T>(operation: string, expected: readonly number[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    const status = statusOf(err);
    if (status !== undefined && expected.includes(status)) return undefined;
    throw toStorageError(err, operation);
  }
}

/** A stored entity exists but cannot be read back (corrupt, or written by a newer schema). */
export class UnreadableRecord extends StorageError {
  constructor(what: string) {
    super(`Storage: stored ${what} is unreadable`);
    this.name = 'UnreadableRecord';
  }
}
