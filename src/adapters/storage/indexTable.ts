/**
 * Reads and writes of index rows (layout in requestIndex.ts). The rules that keep the index safe
 * without cross-partition transactions live here and in TableRequestStore.update:
 *
 * - rows are written (upserted) before the request, so a crash never leaves a request unreachable;
 * - a row is deleted only conditionally on the eTag its deleter saw, so a delete never removes a
 *   row that someone re-wrote meanwhile;
 * - readers delete a stale row only if it was already older than a grace period when they listed
 *   it, before they read the request it names. So a reader can only delete a row its writer had
 *   not yet committed if that writer took longer than the grace period from the row to the commit;
 * - a writer that took more than half the grace period (half: room for clock skew between
 *   instances) upserts its rows again after the commit, which undoes such a delete and makes the
 *   reader's own conditional delete fail. Quicker writers — all of them, in practice — skip that.
 */
import { performance } from 'node:perf_hooks';
import { odata, type TableClient, type TableEntityResult, type TableEntityResultPage } from '@azure/data-tables';
import type { Clock } from '../../domain/ports';
import { INDEX_ROWS_FROM, INDEX_ROWS_TO, type IndexEntity, type IndexKey } from './requestIndex';
import { guarded, tolerating, toStorageError } from './storageErrors';
import { RecentMap } from '../system/recentMap';

/** Where best-effort failures go; pino-shaped so the app's logger fits. */
export interface StorageWarnings {
  warn(fields: object, message: string): void;
}

export type IndexRow = TableEntityResult<IndexEntity>;

export interface IndexPage {
  readonly rows: readonly IndexRow[];
  /** When the page arrived: what a reader judges the rows' age by (see removeIfStale). */
  readonly listedAt: Date;
  /** The service's token for the rest of this same query; absent when the query is exhausted. */
  readonly continuationToken?: string;
}

export class IndexTable {
  /**
   * The eTag of each row this process wrote, so that moving a request off it later needs no read.
   * An entry can only be older than the row (someone wrote it since): the delete that uses it then
   * fails its condition and leaves the row to the readers, never removing a row it did not see.
   */
  private readonly written = new RecentMap<string>(10_000);

  constructor(
    private readonly client: TableClient,
    private readonly clock: Clock,
    private readonly staleGraceMs: number,
    private readonly warnings: StorageWarnings,
  ) {}

  get tableName(): string {
    return this.client.tableName;
  }

  /** The row pointing at the request, stamped now (for a caller that writes it in a transaction of its own). */
  entity(key: IndexKey, requestId: string): IndexEntity {
    return { ...key, requestId, writtenAt: this.clock.now().toISOString() };
  }

  /** Upserts the row pointing at the request; used both before and after the request write. */
  async write(key: IndexKey, requestId: string): Promise<void> {
    const entity = this.entity(key, requestId);
    const { etag } = await guarded(`write index row in table ${this.tableName}`, () => this.client.upsertEntity(entity, 'Replace'));
    if (etag) this.written.set(rowId(key), etag);
  }

  /** The row's eTag as this process last wrote it, else as read now; undefined if it does not exist. */
  async etagOf(key: IndexKey): Promise<string | undefined> {
    const mine = this.written.get(rowId(key));
    if (mine) return mine;
    const row = await tolerating(`read index row in table ${this.tableName}`, [404], () =>
      this.client.getEntity(key.partitionKey, key.rowKey),
    );
    return row?.etag;
  }

  /** Deletes the row only if nobody re-wrote it since we saw `etag`; losing that race is fine. */
  async deleteIfUnchanged(key: IndexKey, etag: string): Promise<void> {
    await tolerating(`delete index row in table ${this.tableName}`, [404, 412], () =>
      this.client.deleteEntity(key.partitionKey, key.rowKey, { etag }),
    );
    if (this.written.get(rowId(key)) === etag) this.written.delete(rowId(key));
  }

  /**
   * Call before writing a request's new rows; after its commit, the returned function says whether
   * a reader may have deleted them meanwhile (see above), i.e. whether they must be written again.
   * Wall clock (injectable, for tests) and monotonic time both count: the longer wins.
   */
  startWrite(): () => boolean {
    const wall = this.clock.now().getTime();
    const monotonic = performance.now();
    return () => Math.max(this.clock.now().getTime() - wall, performance.now() - monotonic) >= this.staleGraceMs / 2;
  }

  /** One page of a partition in row-key order, starting after `afterRowKey`. */
  async page(partitionKey: string, afterRowKey: string | undefined, size: number, continuationToken?: string): Promise<IndexPage> {
    // Only index rows (requestIndex.ts): a requester's partition also holds their limits row.
    const filter =
      afterRowKey === undefined
        ? odata`PartitionKey eq ${partitionKey} and RowKey ge ${INDEX_ROWS_FROM} and RowKey lt ${INDEX_ROWS_TO}`
        : odata`PartitionKey eq ${partitionKey} and RowKey gt ${afterRowKey} and RowKey lt ${INDEX_ROWS_TO}`;
    return guarded(`list index partition in table ${this.tableName}`, async () => {
      const pages = this.client.listEntities<IndexEntity>({ queryOptions: { filter } }).byPage({ maxPageSize: size, continuationToken });
      const first = await pages.next();
      const listedAt = this.clock.now();
      if (first.done) return { rows: [], listedAt };
      const page: TableEntityResultPage<IndexEntity> = first.value;
      return { rows: [...page], listedAt, continuationToken: page.continuationToken };
    });
  }

  /**
   * Clean-up of a row that no longer matches its request. `listedAt` is when the row was listed,
   * before its request was read: rows young at that time are kept, since they may belong to a
   * create or update still between its index write and its request write.
   */
  async removeIfStale(row: IndexRow, listedAt: Date): Promise<void> {
    const writtenAt = Date.parse(row.writtenAt);
    const age = listedAt.getTime() - (Number.isFinite(writtenAt) ? writtenAt : 0);
    if (age < this.staleGraceMs) return;
    try {
      await this.deleteIfUnchanged({ partitionKey: row.partitionKey, rowKey: row.rowKey }, row.etag);
    } catch (err) {
      this.warnings.warn(
        { table: this.tableName, reason: toStorageError(err, 'delete stale index row').message },
        'Could not clean up a stale index row',
      );
    }
  }
}

function rowId(key: IndexKey): string {
  return `${key.partitionKey}\n${key.rowKey}`;
}
