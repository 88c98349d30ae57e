/**
 * Stored data of the layout before the open-request index (before 2026-12-05, README
 * "Performance"), moved at start-up so an upgraded deployment loses no request in flight:
 *
 *   <prefix>RequestIndex, partitions "status-<Status>"  the old status index: a request it lists
 *                                                       that still has work left gets its open row
 *   <prefix>ApprovalMessages                            the old cards table: such a request's cards
 *                                                       are copied into its own partition
 *
 * Each old index row is deleted once its request is carried over, so the move is idempotent and,
 * once done, costs one query that finds nothing (a stopped move resumes at the next start). The old
 * limits rows ("limits-<requester>") are left alone: each requester's new row is counted from
 * their index at their next submit. Stop every instance of the old version before starting the new
 * one (a mixed fleet would keep writing the old layout). The old cards table is not deleted.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { GuestRequest } from '../../domain/guestRequest';
import { hasWorkLeft } from '../../domain/lifecycle/workLeft';
import { toApprovalMessageEntity, fromApprovalMessageEntity } from './approvalMessageEntity';
import type { IndexTable, StorageWarnings } from './indexTable';
import { requestPartitionKey } from './requestEntity';
import { openRowKey } from './requestIndex';
import { guarded, statusOf, tolerating, toStorageError } from './storageErrors';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX } from './tableClients';

/** The old cards table's name. */
export function legacyCardsTableName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return `${checkTablePrefix(prefix)}ApprovalMessages`;
}

export interface LegacyMove {
  readonly index: TableClient;
  readonly requests: TableClient;
  /** The old cards table (may not exist). */
  readonly oldCards: TableClient;
  readonly openRows: IndexTable;
  readonly read: (requestId: string) => Promise<GuestRequest | undefined>;
  readonly warnings: StorageWarnings;
}

/** Moves what the old layout holds; resolves with the number of requests carried over. */
export async function moveLegacyLayout(move: LegacyMove): Promise<number> {
  const rows = await guarded(`list the old status index in table ${move.index.tableName}`, async () => {
    const out: Array<{ partitionKey: string; rowKey: string; requestId?: unknown; etag: string }> = [];
    const filter = odata`PartitionKey ge ${'status-'} and PartitionKey lt ${'status.'}`;
    for await (const row of move.index.listEntities<{ requestId?: unknown }>({ queryOptions: { filter } })) {
      out.push(row as { partitionKey: string; rowKey: string; requestId?: unknown; etag: string });
    }
    return out;
  });
  let carried = 0;
  for (const row of rows) {
    const requestId = typeof row.requestId === 'string' ? row.requestId : undefined;
    const request = requestId ? await move.read(requestId).catch(() => undefined) : undefined;
    if (request && hasWorkLeft(request)) {
      await move.openRows.write(openRowKey(request), request.id);
      await copyCards(move, request.id);
      carried++;
    }
    await tolerating(`delete an old status index row in table ${move.index.tableName}`, [404, 412], () =>
      move.index.deleteEntity(row.partitionKey, row.rowKey, { etag: row.etag }),
    );
  }
  if (rows.length > 0)
    move.warnings.warn({ oldIndexRows: rows.length, carried }, 'Moved requests from the storage layout of an older version');
  return carried;
}

/** The request's cards from the old table into its partition (a missing table has none). */
async function copyCards(move: LegacyMove, requestId: string): Promise<void> {
  // The old table's partitions were the escaped request id, as the request's own partition is.
  const partitionKey = requestPartitionKey(requestId);
  let entities: Record<string, unknown>[];
  try {
    entities = [];
    for await (const entity of move.oldCards.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } }))
      entities.push(entity);
  } catch (err) {
    if (statusOf(err) === 404) return; // no old cards table
    throw toStorageError(err, `read old approval messages of request ${requestId}`);
  }
  const upserts: TransactionAction[] = [];
  for (const entity of entities) {
    const message = fromApprovalMessageEntity(entity);
    if (message && message.requestId === requestId) upserts.push(['upsert', toApprovalMessageEntity(message), 'Replace']);
  }
  for (let i = 0; i < upserts.length; i += 100) {
    const chunk = upserts.slice(i, i + 100);
    await guarded(`copy approval messages of request ${requestId}`, () => move.requests.submitTransaction(chunk));
  }
}
