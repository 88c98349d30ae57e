/**
 * listByStatus / listByRequester against Azurite: order, paging, open requests through their status
 * changes, staying correct when index maintenance is interrupted, and reading a bounded number of entities.
 */
import assert from 'node:assert/strict';
import type { GuestRequest, RequestStatus } from '../../../src/domain/guestRequest';
import type { RequestStore } from '../../../src/domain/ports';
import { requestStoreTableNames, TableRequestStore } from '../../../src/adapters/storage/tableRequestStore';
import { OPEN_PARTITION } from '../../../src/adapters/storage/requestIndex';
import { mapConcurrently } from '../../../src/adapters/storage/concurrency';
import { testStorageConnectionString } from '../../support/env';
import {
  interceptor,
  ManualClock,
  RequestLog,
  rawTable,
  rowsIn,
  sampleRequest,
  secondsAfter,
  tableOf,
  uniquePrefix,
  type PipelinePolicy,
} from './storageTestKit';

const BASE = '2025-03-01T08:00:00.000Z';
const GRACE_MS = 60_000;

async function listAll(
  list: (cursor?: string) => Promise<{ items: readonly GuestRequest[]; next?: string }>,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list(cursor);
    ids.push(...page.items.map((r) => r.id));
    cursor = page.next;
    pages++;
    assert.ok(pages < 1000, 'paging does not end');
  } while (cursor);
  return { ids, pages };
}

describe('TableRequestStore listings', () => {
  let tablePrefix: string;
  let clock: ManualClock;
  let store: TableRequestStore;

  const open = (...policies: PipelinePolicy[]) =>
    TableRequestStore.open({
      connectionString: testStorageConnectionString(),
      tablePrefix,
      clock,
      staleIndexGraceMs: GRACE_MS,
      clientOptions: { additionalPolicies: policies.map((policy) => ({ policy, position: 'perCall' as const })) },
    });

  const openRows = () => rowsIn(rawTable(requestStoreTableNames(tablePrefix).index), OPEN_PARTITION);
  const idsIn = async (status: RequestStatus, s: RequestStore = store) => (await listAll((c) => s.listByStatus(status, 100, c))).ids;

  beforeEach(async () => {
    tablePrefix = uniquePrefix();
    clock = new ManualClock();
    store = await open();
  });

  describe('listByStatus', () => {
    it('lists oldest first, whatever the order of creation, and pages with a cursor', async () => {
      const order = [4, 0, 6, 2, 5, 1, 3];
      for (const i of order) await store.create(sampleRequest({ id: `req-${i}`, createdAt: secondsAfter(BASE, i) }));
      await store.create(sampleRequest({ id: 'denied-one', status: 'Denied', createdAt: secondsAfter(BASE, 3) }));

      const first = await store.listByStatus('Pending', 3);
      assert.deepEqual(
        first.items.map((r) => r.id),
        ['req-0', 'req-1', 'req-2'],
      );
      assert.ok(first.next);
      const second = await store.listByStatus('Pending', 3, first.next);
      assert.deepEqual(
        second.items.map((r) => r.id),
        ['req-3', 'req-4', 'req-5'],
      );
      const third = await store.listByStatus('Pending', 3, second.next);
      assert.deepEqual(
        third.items.map((r) => r.id),
        ['req-6'],
      );
      assert.equal(third.next, undefined);
      assert.deepEqual(
        (await store.listByStatus('Denied', 10)).items.map((r) => r.id),
        ['denied-one'],
      );
      assert.deepEqual(await store.listByStatus('Invited', 10), { items: [] });
    });

    it('keeps an open request on one row through its status changes, and lists it under its current status', async () => {
      const log = new RequestLog();
      const counted = await open(log.policy);
      const { index } = requestStoreTableNames(tablePrefix);
      const created = await counted.create(sampleRequest());
      const other = await counted.create(sampleRequest({ createdAt: secondsAfter(BASE, 1) }));
      log.clear();
      await counted.update({ ...created.value, status: 'Approved' }, created.etag);
      await counted.settle();
      assert.equal(log.count({ table: index }), 0, 'Pending → Approved moves no index row');
      assert.deepEqual(await idsIn('Pending'), [other.value.id]);
      assert.deepEqual(await idsIn('Approved'), [created.value.id]);
      assert.equal((await openRows()).length, 2);
    });

    it('retires the open row once a request is finished; its requester still lists it', async () => {
      const created = await store.create(sampleRequest({ status: 'Approved' }));
      await store.update({ ...created.value, status: 'Invited' }, created.etag);
      await store.settle();
      assert.deepEqual(await openRows(), [], 'nothing left to do: no open row');
      assert.deepEqual(await idsIn('Invited'), []);
      assert.deepEqual(
        (await store.listByRequester('requester-1', 10)).items.map((r) => r.id),
        [created.value.id],
      );
      // A denial still to be told stays open until it is.
      const denied = await store.create(sampleRequest({ status: 'Denied', createdAt: secondsAfter(BASE, 1) }));
      assert.deepEqual(await idsIn('Denied'), [denied.value.id]);
      await store.update({ ...denied.value, requesterNotifiedAt: secondsAfter(BASE, 2) }, denied.etag);
      await store.settle();
      assert.deepEqual(await idsIn('Denied'), []);
      assert.deepEqual(await openRows(), []);
    });

    it('rejects cursors that are malformed or belong to another listing', async () => {
      for (let i = 0; i < 3; i++) await store.create(sampleRequest({ createdAt: secondsAfter(BASE, i) }));
      const page = await store.listByStatus('Pending', 1);
      await assert.rejects(store.listByStatus('Approved', 1, page.next), RangeError);
      await assert.rejects(store.listByRequester('requester-1', 1, page.next), RangeError);
      await assert.rejects(store.listByStatus('Pending', 1, 'not a cursor'), RangeError);
      await assert.rejects(store.listByStatus('Pending', 0), RangeError);
    });
  });

  // The open row appears when a request opens (a Failed one retried: Approved again) and goes when
  // it is finished (Approved → Failed): the two windows a crash or a race can hit.
  describe('when index maintenance is interrupted', () => {
    it('a crash after the open row but before the request write neither hides nor duplicates the request', async () => {
      const created = await store.create(sampleRequest({ status: 'Failed' }));
      const requestsTable = requestStoreTableNames(tablePrefix).requests;
      const crashing = await open(
        interceptor('crashBeforeRequestWrite', (req) => {
          if (req.method === 'PUT' && tableOf(req) === requestsTable) throw new Error('injected crash');
        }),
      );
      await assert.rejects(crashing.update({ ...created.value, status: 'Approved' }, created.etag));

      // The open partition now holds a row for a request that is still Failed.
      assert.equal((await openRows()).length, 1);
      assert.deepEqual(await idsIn('Approved'), []);
      // Young stale rows are left alone (they might belong to a write in flight) …
      assert.equal((await openRows()).length, 1);
      // … and cleaned up once older than the grace period.
      clock.advance(GRACE_MS + 1);
      assert.deepEqual(await idsIn('Approved'), []);
      assert.equal((await openRows()).length, 0);

      // The same update, retried, goes through and the request is listed exactly once.
      await store.update({ ...created.value, status: 'Approved' }, created.etag);
      assert.deepEqual(await idsIn('Approved'), [created.value.id]);
    });

    it('a crash after the request write but before the open row is removed leaves the request listed nowhere it should not be', async () => {
      const created = await store.create(sampleRequest({ status: 'Approved' }));
      const { requests, index } = requestStoreTableNames(tablePrefix);
      let committed = false;
      const crashing = await open(
        interceptor('crashAfterRequestWrite', (req) => {
          if (req.method === 'PUT' && tableOf(req) === requests) committed = true;
          else if (committed && tableOf(req) === index) throw new Error('injected crash');
        }),
      );
      await crashing.update({ ...created.value, status: 'Failed' }, created.etag); // index clean-up is best effort
      await crashing.settle();
      assert.equal((await openRows()).length, 1, 'the old row is still there');
      assert.deepEqual(await idsIn('Approved'), []);
      assert.deepEqual(await idsIn('Failed'), []);
      clock.advance(GRACE_MS + 1);
      assert.deepEqual(await idsIn('Approved'), []);
      assert.equal((await openRows()).length, 0, 'the old row is cleaned up by a reader');
    });

    it('a crash before a new request is written leaves no visible trace, and the id stays usable', async () => {
      const requestsTable = requestStoreTableNames(tablePrefix).requests;
      const crashing = await open(
        interceptor('crashBeforeCreate', (req) => {
          if (req.method === 'POST' && tableOf(req) === requestsTable) throw new Error('injected crash');
        }),
      );
      const request = sampleRequest();
      await assert.rejects(crashing.create(request));
      assert.deepEqual(await idsIn('Pending'), []);
      assert.deepEqual((await store.listByRequester('requester-1', 10)).items, []);
      await store.create(request);
      assert.deepEqual(await idsIn('Pending'), [request.id]);
    });

    it('a reader deleting the new row while a slow write is in flight is undone by the writer', async () => {
      const created = await store.create(sampleRequest({ status: 'Failed' }));
      const { requests, index } = requestStoreTableNames(tablePrefix);
      const racing = await open(
        interceptor('readerCleansUpMidWrite', async (req) => {
          if (req.method !== 'PUT' || tableOf(req) !== requests) return;
          // Just before the request write: the writer has been slow (past the grace period) and a
          // reader that listed the new open row as old and saw the request still Failed deletes it.
          clock.advance(GRACE_MS + 1);
          for (const row of await openRows()) await rawTable(index).deleteEntity(String(row.partitionKey), String(row.rowKey));
        }),
      );
      await racing.update({ ...created.value, status: 'Approved' }, created.etag);
      await racing.settle();
      assert.deepEqual(await idsIn('Approved'), [created.value.id]);
    });

    it('a quick write puts the open row down once, before the commit; finishing retires it', async () => {
      const created = await store.create(sampleRequest({ status: 'Failed' }));
      const log = new RequestLog();
      const counted = await open(log.policy);
      const { index } = requestStoreTableNames(tablePrefix);
      const reopened = await counted.update({ ...created.value, status: 'Approved' }, created.etag);
      await counted.settle();
      assert.equal(log.count({ table: index, method: 'PUT' }), 1, 'the open row, written once');
      assert.equal(log.count({ table: index, method: 'DELETE' }), 0);
      assert.deepEqual(await idsIn('Approved'), [created.value.id]);
      log.clear();
      await counted.update({ ...reopened.value, status: 'Failed' }, reopened.etag);
      await counted.settle();
      assert.equal(log.count({ table: index, method: 'DELETE' }), 1, 'the open row, retired');
      assert.equal(log.count({ table: index, method: 'GET' }), 0, 'its eTag was remembered from its write');
      assert.equal((await openRows()).length, 0);
    });

    it('retiring an open row written by another process reads its eTag first', async () => {
      const created = await store.create(sampleRequest({ status: 'Approved' }));
      const otherLog = new RequestLog();
      const other = await open(otherLog.policy);
      otherLog.clear(); // what opening reads (an older version's layout to move) is not the update's
      await other.update({ ...created.value, status: 'Failed' }, created.etag);
      await other.settle();
      const { index } = requestStoreTableNames(tablePrefix);
      assert.equal(otherLog.count({ table: index, method: 'GET' }), 1, 'a row written elsewhere is read for its eTag');
      assert.equal(otherLog.count({ table: index, method: 'DELETE' }), 1);
      assert.equal((await openRows()).length, 0);
    });

    it('a remembered eTag that someone has since re-written never removes the row it did not see', async () => {
      const created = await store.create(sampleRequest({ status: 'Approved' }));
      const { index } = requestStoreTableNames(tablePrefix);
      // Another process writes the same open row again (a slow writer re-putting its rows).
      const [row] = await openRows();
      await rawTable(index).upsertEntity(
        { ...row!, partitionKey: OPEN_PARTITION, rowKey: row!.rowKey!, writtenAt: clock.now().toISOString() },
        'Replace',
      );
      await store.update({ ...created.value, status: 'Failed' }, created.etag);
      await store.settle();
      assert.equal((await openRows()).length, 1, 'the re-written row is left to the readers');
      assert.deepEqual(await idsIn('Approved'), [], 'and readers do not list it');
    });

    it('a reader judges a row’s age when it lists it, so a row young then survives a reader that stalls', async () => {
      const created = await store.create(sampleRequest({ status: 'Failed' }));
      const { requests } = requestStoreTableNames(tablePrefix);
      // A write in flight: its open row is down, the request not yet written.
      const crashing = await open(
        interceptor('writerBetweenIndexAndRequest', (req) => {
          if (req.method === 'PUT' && tableOf(req) === requests) throw new Error('still in flight');
        }),
      );
      await assert.rejects(crashing.update({ ...created.value, status: 'Approved' }, created.etag));
      // A reader lists the row while it is young, then stalls past the grace period before it has
      // read the request (which it still finds Failed).
      const stalling = await open(
        interceptor('readerStalls', (req) => {
          if (req.method === 'GET' && tableOf(req) === requests) clock.advance(GRACE_MS + 1);
        }),
      );
      assert.deepEqual(await idsIn('Approved', stalling), []);
      assert.equal((await openRows()).length, 1, 'the row of the write in flight is kept');
    });

    it('retiring the old row never removes a row another process re-wrote meanwhile (Failed → Approved → Failed)', async () => {
      const created = await store.create(sampleRequest({ status: 'Approved' }));
      const { index } = requestStoreTableNames(tablePrefix);
      let raced = false;
      const slow = await open(
        interceptor('otherProcessMovesItBack', async (req) => {
          if (req.method !== 'DELETE' || tableOf(req) !== index || raced) return;
          raced = true;
          // W1 has committed Approved → Failed and is about to retire the open row; meanwhile
          // a retry (W2) moves the request back to Approved and writes that same row again.
          const current = await store.get(created.value.id);
          assert.equal(current?.value.status, 'Failed');
          await store.update({ ...current.value, status: 'Approved' }, current.etag);
        }),
      );
      await slow.update({ ...created.value, status: 'Failed' }, created.etag);
      await slow.settle();
      assert.ok(raced);
      assert.equal((await store.get(created.value.id))?.value.status, 'Approved');
      assert.deepEqual(await idsIn('Approved'), [created.value.id]);
      assert.deepEqual(await idsIn('Failed'), []);
    });
  });

  describe('listByRequester', () => {
    it('lists one requester newest first and pages with a cursor', async () => {
      for (const i of [2, 0, 4, 1, 3]) await store.create(sampleRequest({ id: `mine-${i}`, createdAt: secondsAfter(BASE, i) }));
      await store.create(
        sampleRequest({ id: 'theirs', requester: { id: 'requester-2', name: 'Other' }, createdAt: secondsAfter(BASE, 9) }),
      );
      const first = await store.listByRequester('requester-1', 2);
      assert.deepEqual(
        first.items.map((r) => r.id),
        ['mine-4', 'mine-3'],
      );
      const second = await store.listByRequester('requester-1', 2, first.next);
      assert.deepEqual(
        second.items.map((r) => r.id),
        ['mine-2', 'mine-1'],
      );
      const third = await store.listByRequester('requester-1', 2, second.next);
      assert.deepEqual(
        third.items.map((r) => r.id),
        ['mine-0'],
      );
      assert.equal(third.next, undefined);
      assert.deepEqual(
        (await store.listByRequester('requester-2', 10)).items.map((r) => r.id),
        ['theirs'],
      );
      assert.deepEqual(await store.listByRequester('nobody', 10), { items: [] });
    });

    it('lists a request once, with its current state, after status changes', async () => {
      const created = await store.create(sampleRequest());
      const approved = await store.update({ ...created.value, status: 'Approved' }, created.etag);
      await store.update({ ...approved.value, status: 'Invited' }, approved.etag);
      const page = await store.listByRequester('requester-1', 10);
      assert.deepEqual(
        page.items.map((r) => [r.id, r.status]),
        [[created.value.id, 'Invited']],
      );
    });
  });

  describe('at scale', function () {
    this.timeout(120_000);

    it('serves a page of 20 out of 500 requests with a bounded number of storage calls', async () => {
      const log = new RequestLog();
      const counted = await open(log.policy);
      // 450 Pending, 50 Approved, created in scrambled time order.
      const requests = Array.from({ length: 500 }, (_, i) =>
        sampleRequest({
          id: `bulk-${String(i).padStart(3, '0')}`,
          status: i % 10 === 9 ? 'Approved' : 'Pending',
          createdAt: secondsAfter(BASE, (i * 7919) % 500),
        }),
      );
      await mapConcurrently(requests, 25, (r) => counted.create(r));

      const names = requestStoreTableNames(tablePrefix);
      log.clear();
      const page = await counted.listByStatus('Pending', 20);
      assert.equal(page.items.length, 20);
      // The open index holds the Approved requests too: each row examined is one point read, and the
      // few Approved ones among the first rows cost a small extra index query each.
      const examined = log.count({ table: names.requests });
      assert.ok(examined >= 20 && examined <= 25, `one point read per open row examined (${examined})`);
      assert.ok(log.count({ table: names.index }) <= 3, 'an index query for the page and one per short top-up');

      const pending = requests.filter((r) => r.status === 'Pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      assert.deepEqual(
        page.items.map((r) => r.id),
        pending.slice(0, 20).map((r) => r.id),
      );

      log.clear();
      const all = await listAll((c) => counted.listByStatus('Pending', 20, c));
      assert.deepEqual(
        all.ids,
        pending.map((r) => r.id),
      );
      // A point read per open row (450 Pending, 50 Approved) and a few index queries per page; never a
      // scan of the requests table.
      assert.equal(log.count({ table: names.requests }), 500);
      assert.ok(log.count({ table: names.index }) <= 3 * all.pages + 1);
    });
  });
});
