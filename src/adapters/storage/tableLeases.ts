/**
 * Named leases on Azure Table Storage (the sweep's): one entity per lease name in <prefix>Leases
 * (PK escaped name, RK "lease"); the rules are leaseRows.ts's. A request's own leases (its
 * fan-out, its invitation, its team step) live with the request instead (tableRequestStore.ts).
 */
import type { Clock, Leases } from '../../domain/ports';
import { LeaseRows, type LeaseKey } from './leaseRows';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, ensureTable, openTableClient, type TableConnection } from './tableClients';
import { systemClock } from '../system/systemClock';
import { checkedKey, encodeKeyPart } from './tableKeys';

export interface TableLeasesOptions extends TableConnection {
  /** Decides expiry; tests inject one to expire leases without sleeping. */
  readonly clock?: Clock;
}

const LEASE_ROW_KEY = 'lease';

export function leasesTableName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return `${checkTablePrefix(prefix)}Leases`;
}

export class TableLeases implements Leases {
  /** Opens the leases, creating their table if it is missing. */
  static async open(options: TableLeasesOptions): Promise<TableLeases> {
    const client = openTableClient(options, leasesTableName(options.tablePrefix));
    await ensureTable(client);
    return new TableLeases(new LeaseRows(client, options.clock ?? systemClock));
  }

  private constructor(private readonly rows: LeaseRows) {}

  tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.rows.tryAcquire(leaseKey(name), name, owner, ttlMs);
  }

  renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.rows.renew(leaseKey(name), name, owner, ttlMs);
  }

  release(name: string, owner: string): Promise<void> {
    return this.rows.release(leaseKey(name), name, owner);
  }
}

function leaseKey(name: string): LeaseKey {
  return { partitionKey: checkedKey(encodeKeyPart(name), 'lease'), rowKey: LEASE_ROW_KEY };
}
