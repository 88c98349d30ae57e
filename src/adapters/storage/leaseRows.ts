/**
 * Lease rows: one entity per lease (owner, expiry), wherever its table keeps it — the Leases table
 * for named leases (tableLeases.ts), the request's own partition for a request's leases
 * (tableRequestStore.ts, so that a request write can take or release one in its transaction).
 * Every change is conditional (insert, or replace / delete with the eTag we read or wrote), so of
 * several processes racing for a lease exactly one wins.
 *
 * Renewal replaces the entity only against the eTag of our own last write, so a holder whose lease
 * lapsed and was taken, even briefly, learns it and stops (owner + eTag fencing).
 *
 * Expiry compares the stored time with this process's clock, so holders and takers must have
 * roughly synchronised clocks (NTP); keep TTLs well above any plausible skew.
 */
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { Clock } from '../../domain/ports';
import { BackgroundLane } from '../system/backgroundLane';
import { RecentMap } from '../system/recentMap';
import { statusOf, tolerating, toStorageError } from './storageErrors';

export type LeaseEntity = {
  partitionKey: string;
  rowKey: string;
  owner: string;
  expiresAt: string;
};

export interface LeaseKey {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** Holdings remembered per process (least recently used out). */
const REMEMBERED = 10_000;
/** Each retry means the lease vanished or appeared under us; a few rounds settle any real race. */
const MAX_ROUNDS = 3;

export class LeaseRows {
  /**
   * The eTag of each lease this instance holds (by key and owner), so renew and release need no
   * read. Bounded: a holding that is never released (its process stopped it mid-way) is forgotten
   * in time, and forgetting only costs a read in release().
   */
  private readonly etags = new RecentMap<string>(REMEMBERED);

  constructor(
    private readonly client: TableClient,
    private readonly clock: Clock,
  ) {}

  async tryAcquire(key: LeaseKey, label: string, owner: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.clock.now();
      const entity = this.entity(key, owner, ttlMs);

      // Free: the insert succeeds for exactly one of any number of racers.
      try {
        this.remember(key, owner, (await this.client.createEntity(entity)).etag);
        return true;
      } catch (err) {
        if (statusOf(err) !== 409) throw toStorageError(err, `acquire lease ${label}`);
      }

      const held = await this.read(key, label);
      if (!held) continue; // released between our insert and our read: try the insert again
      const expired = !(Date.parse(held.expiresAt) > now.getTime()); // unparsable counts as expired
      if (held.owner !== owner && !expired) return false;

      // Ours (renewal) or expired (takeover): replace only the version we judged.
      try {
        this.remember(key, owner, (await this.client.updateEntity(entity, 'Replace', { etag: held.etag })).etag);
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status === 412) return false; // someone else renewed or took it first
        if (status === 404) continue; // released meanwhile: start over
        throw toStorageError(err, `acquire lease ${label}`);
      }
    }
    return false;
  }

  async renew(key: LeaseKey, label: string, owner: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    const etag = this.etags.get(heldKey(key, owner));
    if (etag === undefined) return false;
    try {
      // Outside the background lane: a renewal queued behind hung Teams calls would let the lease lapse.
      const written = await BackgroundLane.bypass(() => this.client.updateEntity(this.entity(key, owner, ttlMs), 'Replace', { etag }));
      this.remember(key, owner, written.etag);
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 404) {
        // Taken over (or released) since our last write: fenced off for good.
        this.etags.delete(heldKey(key, owner));
        return false;
      }
      throw toStorageError(err, `renew lease ${label}`);
    }
  }

  async release(key: LeaseKey, label: string, owner: string): Promise<void> {
    const held = heldKey(key, owner);
    let etag = this.etags.get(held);
    this.etags.delete(held);
    if (etag === undefined) {
      if (this.givenUp.get(held)) {
        this.givenUp.delete(held);
        return; // released by a write's transaction (releaseAction)
      }
      // Taken by another instance of this class (another process, or before a restart): look.
      const stored = await this.read(key, label);
      if (!stored || stored.owner !== owner) return;
      etag = stored.etag;
    }
    // Conditional: if it expired and someone took it over since, it is theirs now.
    await tolerating(`release lease ${label}`, [404, 412], () => this.client.deleteEntity(key.partitionKey, key.rowKey, { etag }));
  }

  /** The insert that takes a free lease inside a transaction; call `taken` with its eTag once it committed. */
  takeAction(key: LeaseKey, owner: string, ttlMs: number): { action: TransactionAction; taken: (etag: string | undefined) => void } {
    checkTtl(ttlMs);
    const action: TransactionAction = ['create', this.entity(key, owner, ttlMs)];
    return { action, taken: (etag) => this.remember(key, owner, etag) };
  }

  /**
   * Gives our lease up inside a transaction, conditional on our last write of it; undefined when
   * this process has no such write (release() then does it on its own). Call `released` once the
   * transaction committed. A transaction cannot delete conditionally (the SDK sends deletes with
   * If-Match *), so the row is replaced by an expired one with no owner: the next taker takes it
   * over as it would a lapsed lease.
   */
  releaseAction(key: LeaseKey, owner: string): { action: TransactionAction; released: () => void } | undefined {
    const held = heldKey(key, owner);
    const etag = this.etags.get(held);
    if (etag === undefined) return undefined;
    const expired: LeaseEntity = { ...key, owner: '', expiresAt: new Date(0).toISOString() };
    const action: TransactionAction = ['update', expired, 'Replace', { etag }];
    return {
      action,
      released: () => {
        this.etags.delete(held);
        this.givenUp.set(held, true);
      },
    };
  }

  /** Leases given up by a write's transaction, so that the holder's own release() is a no-op. */
  private readonly givenUp = new RecentMap<true>(REMEMBERED);

  private entity(key: LeaseKey, owner: string, ttlMs: number): LeaseEntity {
    return { ...key, owner, expiresAt: new Date(this.clock.now().getTime() + ttlMs).toISOString() };
  }

  private remember(key: LeaseKey, owner: string, etag: string | undefined): void {
    if (etag) this.etags.set(heldKey(key, owner), etag);
  }

  private async read(key: LeaseKey, label: string): Promise<(LeaseEntity & { etag: string }) | undefined> {
    return tolerating(`read lease ${label}`, [404], () => this.client.getEntity<LeaseEntity>(key.partitionKey, key.rowKey));
  }
}

function checkTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
}

function heldKey(key: LeaseKey, owner: string): string {
  return `${key.partitionKey}\n${key.rowKey}\n${owner}`;
}
