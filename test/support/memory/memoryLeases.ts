/**
 * Leases in memory with TableLeases' rules: a lease is free, expired (its expiry at or before the
 * injected clock's now), or held; tryAcquire takes a free or expired one and renews one the owner
 * already holds; release frees it only for its owner (after a takeover the old owner's release is
 * a no-op). Several instances sharing one MemoryLeases behave like processes sharing the table.
 */
import type { Clock, Leases } from '../../../src/domain/ports';
import { yieldTurn } from './yieldTurn';

export interface LeaseEvent {
  readonly kind: 'acquired' | 'refused' | 'released';
  readonly name: string;
  readonly owner: string;
}

export class MemoryLeases implements Leases {
  private readonly held = new Map<string, { owner: string; expiresAt: number; version: number }>();
  /** The version of each owner's own last write, for renew's fencing (TableLeases keeps the eTag). */
  private readonly lastWrite = new Map<string, number>();
  private version = 0;
  /** Every acquisition, refusal and effective release, in order. */
  readonly events: LeaseEvent[] = [];

  constructor(private readonly clock: Clock) {}

  async tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
    await yieldTurn();
    const now = this.clock.now().getTime();
    const current = this.held.get(name);
    if (current && current.owner !== owner && current.expiresAt > now) {
      this.events.push({ kind: 'refused', name, owner });
      return false;
    }
    this.write(name, owner, now + ttlMs);
    this.events.push({ kind: 'acquired', name, owner });
    return true;
  }

  /** Extends the lease only if nobody has written it since this owner's own last write (owner + version fencing). */
  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
    await yieldTurn();
    const key = `${name}\n${owner}`;
    const current = this.held.get(name);
    if (!current || current.owner !== owner || this.lastWrite.get(key) !== current.version) {
      this.lastWrite.delete(key);
      return false;
    }
    this.write(name, owner, this.clock.now().getTime() + ttlMs);
    return true;
  }

  private write(name: string, owner: string, expiresAt: number): void {
    const version = ++this.version;
    this.held.set(name, { owner, expiresAt, version });
    this.lastWrite.set(`${name}\n${owner}`, version);
  }

  async release(name: string, owner: string): Promise<void> {
    await yieldTurn();
    this.lastWrite.delete(`${name}\n${owner}`);
    if (this.held.get(name)?.owner !== owner) return;
    this.held.delete(name);
    this.events.push({ kind: 'released', name, owner });
  }

  /** Takes the lease for a write that carries it (WriteOptions.lease): only when it has no entry at all. */
  takeIfAbsent(name: string, owner: string, ttlMs: number): boolean {
    if (this.held.has(name)) {
      this.events.push({ kind: 'refused', name, owner });
      return false;
    }
    this.write(name, owner, this.clock.now().getTime() + ttlMs);
    this.events.push({ kind: 'acquired', name, owner });
    return true;
  }

  /** Gives it up for a write that carries the release, fenced by owner and version like renew. */
  releaseNow(name: string, owner: string): void {
    const key = `${name}\n${owner}`;
    const current = this.held.get(name);
    const mine = current && current.owner === owner && this.lastWrite.get(key) === current.version;
    this.lastWrite.delete(key);
    if (!mine) return;
    this.held.delete(name);
    this.events.push({ kind: 'released', name, owner });
  }

  /** The lease's holder if it is held and not expired. */
  holder(name: string): string | undefined {
    const current = this.held.get(name);
    return current && current.expiresAt > this.clock.now().getTime() ? current.owner : undefined;
  }
}
