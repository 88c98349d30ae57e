/**
 * Building TableClients from a connection string and making sure their tables exist.
 * Shared by the request store and the leases, which live in the same storage account.
 */
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { BackgroundLane } from '../system/backgroundLane';
import { codeOf, statusOf, StorageError, toStorageError } from './storageErrors';

/** Everything the SDK client accepts except what we decide ourselves (see openTableClient). */
export type TableClientExtras = Omit<TableServiceClientOptions, 'allowInsecureConnection' | 'endpoint'>;

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
}

export const DEFAULT_TABLE_PREFIX = 'guestaccess';

/** Longest suffix we append (see tableNames); Azure allows 63 characters in all. */
const LONGEST_SUFFIX = 'ApprovalMessages'.length;

export function checkTablePrefix(prefix: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(prefix) || prefix.length > 63 - LONGEST_SUFFIX) {
    throw new RangeError(`Table prefix must be 1–${63 - LONGEST_SUFFIX} letters or digits, starting with a letter`);
  }
  return prefix;
}

/** Each attempt of a background call takes a lane slot (retries wait for theirs outside it). */
const laneSlot: NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'] = { name: 'backgroundLane', sendRequest: (request, next) => BackgroundLane.call(() => next(request)) };

/** Creates a client for one table. `allowInsecureConnection` only for plain-http endpoints (Azurite). */
export function openTableClient(connection: TableConnection, tableName: string): TableClient {
  const build = (allowInsecureConnection: boolean) => {
    try {
      return TableClient.fromConnectionString(connection.connectionString, tableName, {
        ...connection.clientOptions,
        // The slot first: the caller's own policies (a test's counter, say) run inside it.
        additionalPolicies: [{ policy: laneSlot, position: 'perRetry' }, ...(connection.clientOptions?.additionalPolicies ?? [])],
        allowInsecureConnection,
      });
    } catch {
      // The SDK's message may quote the malformed connection string; ours must not.
      throw new StorageError('Storage: the connection string could not be parsed');
    }
  };
  // Let the SDK parse the connection string (account, SAS, UseDevelopmentStorage) and tell us the
  // endpoint; building a client does no I/O, so the probe is free.
  const probe = build(false);
  return new URL(probe.url).protocol === 'http:' ? build(true) : probe;
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
