/**
 * Leases on Azure Table Storage: one entity per lease name in <prefix>Leases (PK escaped name,
 * RK "lease") holding the owner and the expiry. Every change is conditional (insert, or replace /
 * delete with the eTag we read), so of several processes racing for a lease exactly one wins.
 *
 * Renewal (renew) replaces the entity only against the eTag of our own last write, so a holder
 * whose lease lapsed and was taken, even briefly, learns it and stops (owner + eTag fencing).
 *
 * Expiry compares the stored time with this process's clock, so holders and takers must have
 * roughly synchronised clocks (NTP); keep TTLs well above any plausible skew.
 */
import type { TableClient } from '@azure/data-tables';
import type { Clock, Leases } from '../../domain/ports';
import { statusOf, tolerating, toStorageError } from './storageErrors';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, ensureTable, openTableClient, type TableConnection } from './tableClients';
import { BackgroundLane } from '../system/backgroundLane';
import { systemClock } from '../system/systemClock';
import { checkedKey, encodeKeyPart } from './tableKeys';

export interface TableLeasesOptions extends TableConnection {
  /** Decides expiry; tests inject one to expire leases without sleeping. */
  readonly clock?: Clock;
}

interface LeaseEntity {
  partitionKey: string;
  rowKey: string;
  owner: string;
  expiresAt: string;
}

const LEASE_ROW_KEY = 'lease';
/** Each retry means the lease vanished or appeared under us; a few rounds settle any real race. */
const MAX_ROUNDS = 3;

export function leasesTableName(prefix: string = DEFAULT_TABLE_PREFIX): string {
  return `${checkTablePrefix(prefix)}Leases`;
}

export class TableLeases implements Leases {
  /** Opens the leases, creating their table if it is missing. */
  static async open(options: TableLeasesOptions): Promise<TableLeases> {
    const client = openTableClient(options, leasesTableName(options.tablePrefix));
    await ensureTable(client);
    return new TableLeases(client, options.clock ?? systemClock);
  }

  /** The eTag of each lease this instance holds (by key and owner), so release needs no read. */
  private readonly etags = new Map<string, string>();

  private constructor(
    private readonly client: TableClient,
    private readonly clock: Clock,
  ) {}

  async tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
    const partitionKey = leaseKey(name);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.clock.now();
      const entity: LeaseEntity = { partitionKey, rowKey: LEASE_ROW_KEY, owner, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };

      // Free: the insert succeeds for exactly one of any number of racers.
      try {
        this.remember(partitionKey, owner, (await this.client.createEntity(entity)).etag);
        return true;
      } catch (err) {
        if (statusOf(err) !== 409) throw toStorageError(err, `acquire lease ${name}`);
      }

      const held = await this.read(name, partitionKey);
      if (!held) continue; // released between our insert and our read: try the insert again
      const expired = !(Date.parse(held.expiresAt) > now.getTime()); // unparsable counts as expired
      if (held.owner !== owner && !expired) return false;

      // Ours (renewal) or expired (takeover): replace only the version we judged.
      try {
        this.remember(partitionKey, owner, (await this.client.updateEntity(entity, 'Replace', { etag: held.etag })).etag);
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status === 412) return false; // someone else renewed or took it first
        if (status === 404) continue; // released meanwhile: start over
        throw toStorageError(err, `acquire lease ${name}`);
      }
    }
    return false;
  }

  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
    const partitionKey = leaseKey(name);
    const key = heldKey(partitionKey, owner);
    const etag = this.etags.get(key);
    if (etag === undefined) return false;
    const entity: LeaseEntity = {
      partitionKey,
      rowKey: LEASE_ROW_KEY,
      owner,
      expiresAt: new Date(this.clock.now().getTime() + ttlMs).toISOString(),
    };
    try {
      // Outside the background lane: a renewal queued behind hung Teams calls would let the lease lapse.
      const written = await BackgroundLane.bypass(() => this.client.updateEntity(entity, 'Replace', { etag }));
      this.remember(partitionKey, owner, written.etag);
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 404) {
        // Taken over (or released) since our last write: fenced off for good.
        this.etags.delete(key);
        return false;
      }
      throw toStorageError(err, `renew lease ${name}`);
    }
  }

  async release(name: string, owner: string): Promise<void> {
    const partitionKey = leaseKey(name);
    const key = heldKey(partitionKey, owner);
    let etag = this.etags.get(key);
    this.etags.delete(key);
    if (etag === undefined) {
      // Taken by another instance of this class (another process, or before a restart): look.
      const held = await this.read(name, partitionKey);
      if (!held || held.owner !== owner) return;
      etag = held.etag;
    }
    // Conditional: if it expired and someone took it over since, it is theirs now.
    await tolerating(`release lease ${name}`, [404, 412], () => this.client.deleteEntity(partitionKey, LEASE_ROW_KEY, { etag }));
  }

  private remember(partitionKey: string, owner: string, etag: string | undefined): void {
    if (etag) this.etags.set(heldKey(partitionKey, owner), etag);
  }

  private async read(name: string, partitionKey: string): Promise<(LeaseEntity & { etag: string }) | undefined> {
    return tolerating(`read lease ${name}`, [404], () => this.client.getEntity<LeaseEntity>(partitionKey, LEASE_ROW_KEY));
  }
}

function heldKey(partitionKey: string, owner: string): string {
  return `${partitionKey}\n${owner}`;
}

function leaseKey(name: string): string {
  return checkedKey(encodeKeyPart(name), 'lease');
}
