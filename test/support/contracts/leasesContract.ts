/**
 * What every Leases must do, with a hand-driven clock: run against TableLeases on Azurite
 * (test/adapters/storage/leasesContract.spec.ts) and the memory leases (test/unit/memory).
 * `open` returns two instances over the same leases: two processes.
 */
import assert from 'node:assert/strict';
import type { Clock, Leases } from '../../../src/domain/ports';

export interface HandClock extends Clock {
  advance(ms: number): void;
}

const TTL = 30_000;

export function leasesContract(open: () => Promise<{ clock: HandClock; one: Leases; two: Leases }>): void {
  let clock: HandClock;
  let one: Leases;
  let two: Leases;
  beforeEach(async () => {
    ({ clock, one, two } = await open());
  });

  it('gives a free lease to exactly one of several racing owners', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? two : one).tryAcquire('sweep', `owner-${i}`, TTL)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('lets the owner renew while others are refused; expires exactly at its TTL', async () => {
    assert.equal(await one.tryAcquire('sweep', 'a', TTL), true);
    assert.equal(await two.tryAcquire('sweep', 'b', TTL), false);
    clock.advance(TTL - 1000);
    assert.equal(await one.tryAcquire('sweep', 'a', TTL), true, 'renewal');
    clock.advance(2000);
    assert.equal(await two.tryAcquire('sweep', 'b', TTL), false, 'within the renewed TTL');
    clock.advance(TTL - 2000);
    assert.equal(await two.tryAcquire('sweep', 'b', TTL), true, 'at expiry');
    assert.equal(await one.tryAcquire('sweep', 'a', TTL), false);
  });

  it('is released only by its owner; after a takeover the old owner’s release leaves it alone', async () => {
    assert.equal(await one.tryAcquire('invite-r1', 'a', TTL), true);
    await two.release('invite-r1', 'b');
    assert.equal(await two.tryAcquire('invite-r1', 'b', TTL), false);
    clock.advance(TTL + 1);
    assert.equal(await two.tryAcquire('invite-r1', 'b', TTL), true);
    await one.release('invite-r1', 'a');
    assert.equal(await one.tryAcquire('invite-r1', 'c', TTL), false, 'b still holds it');
    await two.release('invite-r1', 'b');
    assert.equal(await one.tryAcquire('invite-r1', 'c', TTL), true);
    await one.release('never-taken', 'a');
  });

  it('keeps names apart and refuses a non-positive TTL', async () => {
    assert.equal(await one.tryAcquire('invite-r1', 'a', TTL), true);
    assert.equal(await two.tryAcquire('invite-r2', 'b', TTL), true);
    await assert.rejects(one.tryAcquire('sweep', 'a', 0), RangeError);
  });

  it('renews only against its own last write: a holder whose lease was taken, even once expired, is fenced off for good', async () => {
    assert.equal(await one.tryAcquire('invite-r3', 'a', TTL), true);
    clock.advance(TTL - 1000);
    assert.equal(await one.renew('invite-r3', 'a', TTL), true, 'the holder renews');
    assert.equal(await two.renew('invite-r3', 'b', TTL), false, 'a non-holder cannot');
    clock.advance(TTL + 1);
    assert.equal(await one.renew('invite-r3', 'a', TTL), true, 'lapsed but untouched: still ours');
    clock.advance(TTL + 1);
    assert.equal(await two.tryAcquire('invite-r3', 'b', TTL), true, 'taken over');
    assert.equal(await one.renew('invite-r3', 'a', TTL), false, 'the old holder is fenced off');
    assert.equal(await two.renew('invite-r3', 'b', TTL), true);
  });
}
