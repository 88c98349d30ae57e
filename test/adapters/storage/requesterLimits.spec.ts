/**
 * TableRequestStore.submit against Azurite: per-requester limits counted atomically across
 * concurrent submits (and across two store instances, as two processes), replays of one id
 * returning the first request without counting again.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AuditEntry, GuestRequest } from '../../../src/domain/guestRequest';
import type { RequesterLimits, SubmitOutcome } from '../../../src/domain/ports';
import { TableRequestStore } from '../../../src/adapters/storage/tableRequestStore';
import { testStorageConnectionString } from '../../support/env';
import { interceptor, RequestLog, sampleRequest, secondsAfter, uniquePrefix } from './storageTestKit';

const T0 = '2025-01-01T10:00:00.000Z';

describe('TableRequestStore.submit: per-requester limits and replays', () => {
  let tablePrefix: string;
  let store: TableRequestStore;
  let other: TableRequestStore;
  let requesterId: string;

  beforeEach(async () => {
    tablePrefix = uniquePrefix();
    store = await TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix });
    other = await TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix });
    requesterId = randomUUID();
  });
  afterEach(async () => {
    await Promise.all([store.settle(), other.settle()]);
  });

  const newRequest = (createdAt = T0, id = randomUUID()): GuestRequest =>
    sampleRequest({ id, createdAt, updatedAt: createdAt, requester: { id: requesterId, name: 'Rita Requester' } });
  const audit = (request: GuestRequest): AuditEntry => ({
    requestId: request.id,
    at: request.createdAt,
    actor: request.requester,
    action: 'submitted',
    to: 'Pending',
  });
  const submitTo = (s: TableRequestStore, request: GuestRequest, limits: RequesterLimits): Promise<SubmitOutcome> =>
    s.submit(request, { audit: audit(request), limits });
  const storedCount = async () => (await store.listByRequester(requesterId, 1000)).items.length;
  /** A third instance whose every storage request is logged, and the index table's name. */
  const countedStore = async () => {
    const log = new RequestLog();
    const counted = await TableRequestStore.open({
      connectionString: testStorageConnectionString(),
      tablePrefix,
      clientOptions: { additionalPolicies: [{ position: 'perCall', policy: log.policy }] },
    });
    return { log, counted, index: `${tablePrefix}RequestIndex` };
  };

  it('60 simultaneous submits from two instances store exactly MAX_PENDING; the rest are refused as over the pending limit', async () => {
    const limits = { maxPending: 3, maxPerDay: 0 };
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => submitTo(i % 2 ? other : store, newRequest(), limits)));
    assert.equal(outcomes.filter((o) => o.kind === 'created').length, 3);
    assert.equal(outcomes.filter((o) => o.kind === 'overLimit' && o.limit === 'pending').length, 57);
    assert.equal(await storedCount(), 3);
  });

  it('a request that leaves Pending makes room; the daily limit still counts it (rolling 24 hours)', async () => {
    const limits = { maxPending: 2, maxPerDay: 3 };
    const first = await submitTo(store, newRequest(T0), limits);
    assert.equal((await submitTo(store, newRequest(secondsAfter(T0, 1)), limits)).kind, 'created');
    assert.deepEqual(await submitTo(store, newRequest(secondsAfter(T0, 2)), limits), { kind: 'overLimit', limit: 'pending' });
    assert.equal(first.kind, 'created');
    if (first.kind !== 'created') return;
    await store.update({ ...first.request.value, status: 'Denied' }, first.request.etag);
    assert.equal((await submitTo(store, newRequest(secondsAfter(T0, 3)), limits)).kind, 'created');
    // Three in the last 24 hours: with none pending any more, the daily limit still refuses a fourth...
    for (const request of (await store.listByRequester(requesterId, 10)).items.filter((r) => r.status === 'Pending')) {
      await store.update({ ...request, status: 'Cancelled' }, (await store.get(request.id))!.etag);
    }
    assert.deepEqual(await submitTo(store, newRequest(secondsAfter(T0, 4)), limits), { kind: 'overLimit', limit: 'daily' });
    // ...until the first has been 24 hours ago (and a minute: the window counts whole minutes).
    assert.equal((await submitTo(store, newRequest(secondsAfter(T0, 24 * 3600 + 61)), limits)).kind, 'created');
    assert.equal(await storedCount(), 4);
  });

  it('the same id submitted 20 times at once is stored once, counted once, and every answer is that request', async () => {
    const limits = { maxPending: 2, maxPerDay: 0 };
    const request = newRequest();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => submitTo(i % 2 ? other : store, { ...request }, limits)));
    assert.equal(outcomes.filter((o) => o.kind === 'created').length, 1);
    for (const outcome of outcomes) {
      assert.ok(outcome.kind === 'created' || outcome.kind === 'existing', `unexpected ${outcome.kind}`);
      assert.equal(outcome.request.value.id, request.id);
    }
    assert.equal(await storedCount(), 1);
    assert.equal((await store.listAudit(request.id)).length, 1, 'one audit entry');
    // Counted once: one more fits under a limit of 2.
    assert.equal((await submitTo(store, newRequest(), limits)).kind, 'created');
    // A replay once at the limit still returns the request, not a refusal.
    assert.equal((await submitTo(store, { ...request }, limits)).kind, 'existing');
  });

  it('counts requests stored before the limits row existed (limits switched on later)', async () => {
    await store.create(newRequest(T0));
    await store.create(newRequest(secondsAfter(T0, 1)));
    assert.deepEqual(await submitTo(store, newRequest(secondsAfter(T0, 2)), { maxPending: 2, maxPerDay: 0 }), {
      kind: 'overLimit',
      limit: 'pending',
    });
    assert.deepEqual(await submitTo(store, newRequest(secondsAfter(T0, 2)), { maxPending: 0, maxPerDay: 2 }), {
      kind: 'overLimit',
      limit: 'daily',
    });
  });

  it('a reservation whose request was never written stops counting after its grace period', async () => {
    const limits = { maxPending: 1, maxPerDay: 0 };
    // A submit that reserved its place and then died before writing its request (its create fails).
    const dying = await TableRequestStore.open({
      connectionString: testStorageConnectionString(),
      tablePrefix,
      clientOptions: {
        additionalPolicies: [
          {
            position: 'perCall',
            policy: interceptor('dieBeforeCreate', (req) => {
              if (req.url.endsWith('$batch') && String(req.body).includes(`${tablePrefix}Requests`)) throw new Error('injected crash');
            }),
          },
        ],
      },
    });
    const doomed = newRequest(T0);
    await assert.rejects(dying.submit(doomed, { audit: audit(doomed), limits }));
    assert.deepEqual(await submitTo(store, newRequest(secondsAfter(T0, 60)), limits), { kind: 'overLimit', limit: 'pending' });
    assert.equal((await submitTo(store, newRequest(secondsAfter(T0, 11 * 60)), limits)).kind, 'created');
  });

  it("a requester's next submit in the same process writes without reading; a write by another process is found and counted", async () => {
    const limits = { maxPending: 3, maxPerDay: 0 };
    const { log, counted, index } = await countedStore();
    log.clear(); // what opening reads (an older version's layout to move) is not the submit's
    assert.equal((await submitTo(counted, newRequest(T0), limits)).kind, 'created');
    assert.equal(log.count({ table: index, method: 'GET' }), 1, 'a first request: one query of the partition, nothing else to count');
    log.clear();
    assert.equal((await submitTo(counted, newRequest(secondsAfter(T0, 1)), limits)).kind, 'created');
    assert.equal(log.count({ table: index, method: 'GET' }), 0, 'the next one goes straight to the conditional write');
    assert.equal((await submitTo(other, newRequest(secondsAfter(T0, 1)), limits)).kind, 'created');
    log.clear();
    // Its memory of the row is now old: the conditional write fails, the row is read and counted.
    assert.deepEqual(await submitTo(counted, newRequest(secondsAfter(T0, 2)), limits), { kind: 'overLimit', limit: 'pending' });
    assert.ok(log.count({ table: index, method: 'GET' }) >= 1);
    await counted.settle();
  });

  it('the limits are read while the form is filled in (prepareSubmit): the submit then only writes, and a row moved meanwhile is still counted', async () => {
    const limits = { maxPending: 2, maxPerDay: 0 };
    const { log, counted, index } = await countedStore();
    log.clear();
    await counted.prepareSubmit(requesterId, { maxPending: 0, maxPerDay: 0 });
    assert.equal(log.seen.length, 0, 'without limits there is nothing to read');
    await counted.prepareSubmit(requesterId, limits);
    assert.equal(log.count({ table: index, method: 'GET' }), 1, 'read ahead, once');
    log.clear();
    assert.equal((await submitTo(counted, newRequest(T0), limits)).kind, 'created');
    assert.equal(log.count({ table: index, method: 'GET' }), 0, 'the submit reads nothing');
    // Read ahead, then another process fills the limit before the submit: the conditional write finds out.
    requesterId = randomUUID();
    await counted.prepareSubmit(requesterId, limits);
    assert.equal((await submitTo(other, newRequest(T0), limits)).kind, 'created');
    assert.equal((await submitTo(other, newRequest(secondsAfter(T0, 1)), limits)).kind, 'created');
    assert.deepEqual(await submitTo(counted, newRequest(secondsAfter(T0, 2)), limits), { kind: 'overLimit', limit: 'pending' });
    assert.equal(await storedCount(), 2);
    await counted.settle();
  });

  it('a request that cannot be stored is refused before anything is reserved', async () => {
    const limits = { maxPending: 1, maxPerDay: 0 };
    const bad = newRequest(T0);
    await assert.rejects(store.submit(bad, { audit: { ...audit(bad), requestId: 'someone-else' }, limits }), RangeError);
    assert.equal((await submitTo(store, newRequest(secondsAfter(T0, 60)), limits)).kind, 'created', 'no place was taken');
  });
});
