/**
 * Building TableClients from a connection string and making sure their tables exist.
 * Shared by the request store and the leases, which live in the same storage account.
 *
 * Every client sends through three policies of ours (and, with an account key, signs through a fourth,
 * sharedKeyLite.ts):
 * - a background-lane slot per attempt (see backgroundLane.ts);
 * - a deadline per attempt (`attemptTimeoutMs`), and the cancellation in scope (an invoke's budget,
 *   see deadlines.ts): a storage service that does not answer fails the call instead of holding it;
 * - a missing table is created again and the call sent once more, with a loud log line: storage that
 *   lost its data (an in-memory Azurite restarted, a table deleted) must not leave the bot broken.
 */
import { RestError, TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { Logger } from '../../domain/ports';
import { BackgroundLane } from '../system/backgroundLane';
import { withScopeSignal } from '../system/deadlines';
import { signWithKeyObject } from './sharedKeyLite';
import { codeOf, statusOf, StorageError, toStorageError } from './storageErrors';

/** Everything the SDK client accepts except what we decide ourselves (see openTableClient). */
export type TableClientExtras = Omit<TableServiceClientOptions, 'allowInsecureConnection' | 'endpoint'>;

type Policy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

export interface TableConnection {
  /** An account or SAS connection string. Never logged, never put in an error message. */
  readonly connectionString: string;
  /**
   * Prepended to every table name, so several deployments or test runs can share one account.
   * Letters and digits only, starting with a letter (Azure's rule for table names).
   */
  readonly tablePrefix?: string;
  /** Passed to the SDK: retry options, extra pipeline policies (tests count requests with one). */
  readonly clientOptions?: TableClientExtras;
  /** How long one attempt of a call may wait for the service's answer (default DEFAULT_ATTEMPT_TIMEOUT_MS). */
  readonly attemptTimeoutMs?: number;
  /** Where a recreated table is reported. */
  readonly log?: Pick<Logger, 'error' | 'warn'>;
}

/**
 * A point read or write answers in milliseconds, a page of a listing in well under a second; five
 * seconds without an answer means the service is not answering. Below the invoke budget (8 s), so a
 * click's call is abandoned before its answer is given.
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 5000;

export const DEFAULT_TABLE_PREFIX = 'guestaccess';

/** Longest suffix we append (see tableNames); Azure allows 63 characters in all. */
const LONGEST_SUFFIX = 'ConversationRefs'.length;

export function checkTablePrefix(prefix: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(prefix) || prefix.length > 63 - LONGEST_SUFFIX) {
    throw new RangeError(`Table prefix must be 1–${63 - LONGEST_SUFFIX} letters or digits, starting with a letter`);
  }
  return prefix;
}

/** Each attempt of a background call takes a lane slot (retries wait for theirs outside it). */
const laneSlot: Policy = { name: 'backgroundLane', sendRequest: (request, next) => BackgroundLane.call(() => next(request)) };

/**
 * One attempt may wait `ms` for its answer (the time spent waiting for a lane slot does not count).
 * A time-out is not retried by the SDK: the write may have landed, and a service that did not answer
 * for that long will not answer the next attempt sooner. The cancellation in scope aborts it too.
 */
function attemptDeadline(ms: number): Policy {
  return {
    name: 'attemptDeadline',
    async sendRequest(request, next) {
      const own = request.abortSignal;
      const timer = new AbortController();
      const signal = withScopeSignal(own ? AbortSignal.any([own as AbortSignal, timer.signal]) : timer.signal)!;
      if (signal.aborted) throw new RestError('Storage: the call was cancelled before it was sent', { code: 'DeadlineExceeded' });
      const timeout = setTimeout(() => timer.abort(), ms);
      request.abortSignal = signal;
      try {
        return await next(request);
      } catch (err) {
        // A RestError, so that the SDK's retry policy gives up at once instead of trying again.
        if (signal.aborted && !own?.aborted) throw new RestError(`Storage: no answer within ${ms} ms`, { code: 'DeadlineExceeded' });
        throw err;
      } finally {
        clearTimeout(timeout);
        request.abortSignal = own;
      }
    },
  };
}

/** The service says the table itself is missing (not just the entity). */
function tableMissing(err: unknown): boolean {
  if (statusOf(err) !== 404) return false;
  const response = (err as { response?: { headers?: { get(name: string): string | undefined }; bodyAsText?: string | null } }).response;
  return (
    codeOf(err) === 'TableNotFound' ||
    response?.headers?.get('x-ms-error-code') === 'TableNotFound' ||
    /"TableNotFound"/.test(response?.bodyAsText ?? '')
  );
}

/** A batch is answered 202 with the failure inside: a missing table shows only in the body. */
const BATCH_TABLE_MISSING = /"code"\s*:\s*"TableNotFound"/;

/**
 * Per call (outside the SDK's retries): when the table is missing, create it again and send the
 * call once more. Concurrent calls that find it missing share one creation.
 */
function recreateMissingTable(recreate: () => Promise<void>): Policy {
  return {
    name: 'recreateMissingTable',
    async sendRequest(request, next) {
      let response;
      try {
        response = await next(request);
      } catch (err) {
        if (!tableMissing(err)) throw err;
        await recreate();
        return next(request);
      }
      if (response.status === 202 && BATCH_TABLE_MISSING.test(response.bodyAsText ?? '')) {
        await recreate();
        return next(request);
      }
      return response;
    },
  };
}

/** Creates a client for one table. `allowInsecureConnection` only for plain-http endpoints (Azurite). */
export function openTableClient(connection: TableConnection, tableName: string): TableClient {
  const deadline = attemptDeadline(connection.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS);
  const build = (allowInsecureConnection: boolean, own: Array<{ policy: Policy; position: 'perCall' | 'perRetry' }>) => {
    try {
      const client = TableClient.fromConnectionString(connection.connectionString, tableName, {
        ...connection.clientOptions,
        // The slot first, then the deadline (waiting for a slot does not count against it); the
        // caller's own policies (a test's counter, say) run inside both.
        additionalPolicies: [
          ...own,
          { policy: laneSlot, position: 'perRetry' },
          { policy: deadline, position: 'perRetry' },
          ...(connection.clientOptions?.additionalPolicies ?? []),
        ],
        allowInsecureConnection,
      });
      // The account key imported once, not decoded and probed for every request (sharedKeyLite.ts).
      return signWithKeyObject(client, connection.connectionString);
    } catch {
      // The SDK's message may quote the malformed connection string; ours must not.
      throw new StorageError('Storage: the connection string could not be parsed');
    }
  };
  // Let the SDK parse the connection string (account, SAS, UseDevelopmentStorage) and tell us the
  // endpoint; building a client does no I/O, so the probe is free.
  const insecure = new URL(build(false, []).url).protocol === 'http:';
  // The creating client has no recreation policy of its own (creating a table never finds it missing).
  let creator: TableClient | undefined;
  let recreating: Promise<void> | undefined;
  const recreate = () =>
    (recreating ??= recreateTable((creator ??= build(insecure, [])), connection.log).finally(() => {
      recreating = undefined;
    }));
  return build(insecure, [{ policy: recreateMissingTable(recreate), position: 'perCall' }]);
}

async function recreateTable(client: TableClient, log: TableConnection['log']): Promise<void> {
  let status: number | undefined;
  try {
    await client.createTable({ onResponse: (response) => (status = response.status) });
  } catch (err) {
    throw toStorageError(err, `recreate missing table ${client.tableName}`);
  }
  if (status === 409) {
    log?.warn(
      { table: client.tableName },
      `table ${client.tableName} was missing and has been recreated by another instance: data may have been lost`,
    );
  } else {
    log?.error({ table: client.tableName }, `table ${client.tableName} was missing and has been recreated: data may have been lost`);
  }
}

/** Creates the table if it does not exist; a concurrent creator winning is fine. */
export async function ensureTable(client: TableClient): Promise<void> {
  try {
    await client.createTable();
  } catch (err) {
    // createTable already tolerates TableAlreadyExists; other 409s (e.g. the table is still being
    // deleted) are real problems, so only that one is swallowed here too.
    if (statusOf(err) === 409 && codeOf(err) === 'TableAlreadyExists') return;
    throw toStorageError(err, `create table ${client.tableName}`);
  }
}
