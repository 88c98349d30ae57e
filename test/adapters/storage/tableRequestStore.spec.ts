/** TableRequestStore against Azurite: opening, round trips and conditional writes. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { TableServiceClient } from '@azure/data-tables';
import type { ApprovalMessage } from '../../../src/domain/guestRequest';
import { CARD_ROW_PREFIX } from '../../../src/adapters/storage/approvalMessageEntity';
import { ConcurrencyConflict, type CardsSaved } from '../../../src/domain/ports';
import { AZURITE_KEY, azuriteConnectionString, startAzurite } from '../../../tools/azurite';
import { freePort } from '../../../tools/freePort';
import { StorageError } from '../../../src/adapters/storage/storageErrors';
import { requestStoreTableNames, TableRequestStore } from '../../../src/adapters/storage/tableRequestStore';
import { testStorageConnectionString } from '../../support/env';
import { CardSaveHold, interceptor, RequestLog, sampleRequest, uniquePrefix } from './storageTestKit';

describe('TableRequestStore', () => {
  let tablePrefix: string;
  let store: TableRequestStore;

  beforeEach(async () => {
    tablePrefix = uniquePrefix();
    store = await TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix });
  });

  describe('open', () => {
    it('creates its tables on first use and tolerates them existing on the next', async () => {
      const again = await TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix });
      const service = TableServiceClient.fromConnectionString(testStorageConnectionString(), { allowInsecureConnection: true });
      const names: string[] = [];
      for await (const table of service.listTables()) if (table.name?.startsWith(tablePrefix)) names.push(table.name);
      assert.deepEqual(names.sort(), Object.values(requestStoreTableNames(tablePrefix)).sort());
      // Both instances work on the same tables.
      const created = await store.create(sampleRequest());
      assert.deepEqual((await again.get(created.value.id))?.value, created.value);
    });

    it('answers the readiness probe while storage is up, and fails it once storage is gone', async function () {
      this.timeout(60_000);
      const own = await startAzurite();
      try {
        const probed = await TableRequestStore.open({
          connectionString: own.connectionString,
          tablePrefix,
          clientOptions: { retryOptions: { maxRetries: 0 } },
        });
        await probed.ping();
        await own.stop();
        await assert.rejects(probed.ping(), StorageError);
      } finally {
        await own.stop();
      }
    });

    it('refuses a table prefix Azure would reject', async () => {
      await assert.rejects(
        TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix: 'guest-access' }),
        RangeError,
      );
      await assert.rejects(TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix: '1guest' }), RangeError);
    });

    it('never puts the connection string or key in its errors', async () => {
      const port = await freePort(); // nothing listens there
      const err = await TableRequestStore.open({
        connectionString: azuriteConnectionString(port),
        tablePrefix,
        clientOptions: { retryOptions: { maxRetries: 0 } },
      }).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof StorageError);
      const shown = `${String(err)} ${inspect(err, { depth: 10 })} ${JSON.stringify(err)}`;
      assert.ok(!shown.includes(AZURITE_KEY), shown);
      assert.ok(!shown.includes('AccountKey'), shown);

      // Unparsable (no account name), so no request is ever attempted.
      const malformed = 'DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0LXZhbHVl';
      const err2 = await TableRequestStore.open({ connectionString: malformed, tablePrefix }).catch((e: unknown) => e);
      assert.ok(err2 instanceof StorageError);
      assert.ok(!inspect(err2, { depth: 10 }).includes('c2VjcmV0LXZhbHVl'));
    });
  });

  it('stores a request and reads it back unchanged, with an eTag', async () => {
    const request = sampleRequest({
      decision: { by: { id: 'approver-1', name: 'Ann' }, at: '2025-01-01T11:00:00.000Z', outcome: 'Approved' },
    });
    const created = await store.create(request);
    assert.deepEqual(created.value, request);
    const read = await store.get(request.id);
    assert.deepEqual(read?.value, request);
    assert.equal(read?.etag, created.etag);
  });

  it('answers undefined for an unknown id', async () => {
    assert.equal(await store.get('no-such-request'), undefined);
  });

  it('refuses to create a request whose id exists, leaving the first untouched', async () => {
    const request = sampleRequest();
    await store.create(request);
    await assert.rejects(
      store.create({ ...request, justification: 'other' }),
      (err: unknown) => err instanceof StorageError && err.statusCode === 409 && /already exists/.test(err.message),
    );
    assert.equal((await store.get(request.id))?.value.justification, request.justification);
  });

  it('keeps ids that are awkward for table keys apart and intact', async () => {
    const ids = ['a/b', 'a\\b', 'a#b', 'a?b', 'a~b', 'a%2Fb', "o'brien", 'tab\there', 'ünï©ødé 🎉', '29:1abc'];
    for (const id of ids) await store.create(sampleRequest({ id, justification: `for ${id}` }));
    for (const id of ids) assert.equal((await store.get(id))?.value.justification, `for ${id}`);
    const listed = await store.listByStatus('Pending', 50);
    assert.deepEqual(listed.items.map((r) => r.id).sort(), [...ids].sort());
  });

  it('stores a request larger than one table property (64 KiB) by splitting its JSON, byte for byte', async () => {
    // Multi-byte characters in a body this large would straddle Azurite's chunk boundaries.
    const justification = 'é'.repeat(20_000) + '😀'.repeat(5_000) + 'ü';
    const request = sampleRequest({
      justification,
      guest: { email: 'zoë@example.com', displayName: '李雷', sendInvitationMessage: false },
    });
    const created = await store.create(request);
    const read = (await store.get(request.id))?.value;
    assert.ok(read?.justification === justification, `justification changed (length ${read?.justification.length})`);
    assert.deepEqual({ ...read, justification: '' }, { ...request, justification: '' });
    const updated = await store.update({ ...request, justification: 'short now' }, created.etag);
    assert.equal((await store.get(request.id))?.value.justification, 'short now');
    assert.notEqual(updated.etag, created.etag);
  });

  describe('update', () => {
    it('replaces the request when the eTag is current and returns the new eTag', async () => {
      const created = await store.create(sampleRequest());
      const approved = { ...created.value, status: 'Approved' as const, updatedAt: '2025-01-01T11:00:00.000Z' };
      const updated = await store.update(approved, created.etag);
      assert.notEqual(updated.etag, created.etag);
      const read = await store.get(approved.id);
      assert.deepEqual(read?.value, approved);
      assert.equal(read?.etag, updated.etag);
    });

    it('throws ConcurrencyConflict for a stale eTag and keeps the newer version', async () => {
      const created = await store.create(sampleRequest());
      const first = await store.update({ ...created.value, status: 'Approved' }, created.etag);
      await assert.rejects(store.update({ ...created.value, status: 'Denied' }, created.etag), ConcurrencyConflict);
      const read = await store.get(created.value.id);
      assert.equal(read?.value.status, 'Approved');
      assert.equal(read?.etag, first.etag);
      assert.deepEqual((await store.listByStatus('Denied', 10)).items, []);
    });

    it('lets exactly one of two concurrent updates from the same eTag win', async () => {
      for (let round = 0; round < 5; round++) {
        const created = await store.create(sampleRequest());
        const results = await Promise.allSettled([
          store.update({ ...created.value, status: 'Approved' }, created.etag),
          store.update({ ...created.value, status: 'Denied' }, created.etag),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        assert.ok(lost[0]?.reason instanceof ConcurrencyConflict, String(lost[0]?.reason));
        const winner = (won[0] as PromiseFulfilledResult<{ value: { status: string } }>).value.value.status;
        const stored = await store.get(created.value.id);
        assert.equal(stored?.value.status, winner);
        const loserStatus = winner === 'Approved' ? 'Denied' : 'Approved';
        assert.ok((await store.listByStatus(winner as 'Approved', 100)).items.some((r) => r.id === created.value.id));
        assert.ok(!(await store.listByStatus(loserStatus, 100)).items.some((r) => r.id === created.value.id));
      }
    });

    it('reports an unknown request rather than creating it', async () => {
      const request = sampleRequest();
      await assert.rejects(
        store.update(request, 'W/"datetime\'2025-01-01T00%3A00%3A00.0000000Z\'"'),
        (err: unknown) => err instanceof StorageError && err.statusCode === 404,
      );
      assert.equal(await store.get(request.id), undefined);
    });
  });

  describe('recent versions (get with `recent`: what a decision writes against)', () => {
    const card = (requestId: string, approverId: string): ApprovalMessage => ({
      requestId,
      approverId,
      activityId: `act-${approverId}`,
      address: { serviceUrl: 'https://smba.example/emea/', channelId: 'msteams', conversationId: `a:${approverId}` },
    });
    let log: RequestLog;
    let counted: TableRequestStore;
    let other: TableRequestStore;

    beforeEach(async () => {
      log = new RequestLog();
      counted = await TableRequestStore.open({
        connectionString: testStorageConnectionString(),
        tablePrefix,
        clientOptions: { additionalPolicies: [{ position: 'perCall', policy: log.policy }] },
      });
      other = await TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix });
      log.clear();
    });

    it('serves the version this process stored, cards included, without a call; a plain get still reads', async () => {
      const created = await counted.create(sampleRequest());
      const id = created.value.id;
      const saved = await counted.saveApprovalMessages(id, [card(id, 'a1'), card(id, 'a2')], { unchangedSince: created.etag });
      log.clear();
      const recent = await counted.get(id, { withApprovalMessages: true, recent: true });
      assert.equal(log.seen.length, 0, 'no call');
      assert.equal(recent?.etag, saved.requestEtag);
      assert.deepEqual(recent?.approvalMessages?.map((m) => m.approverId).sort(), ['a1', 'a2']);
      // It is the stored version: a write against it goes through in one call.
      const decided = await counted.update({ ...created.value, status: 'Approved' }, recent.etag, { previous: recent.value });
      assert.equal(log.seen.length, 1);
      assert.equal((await other.get(id))?.etag, decided.etag);
      log.clear();
      await counted.get(id);
      assert.equal(log.seen.length, 1, 'without `recent` every get reads');
    });

    it('forgets a request once it is decided: only a Pending one is decided', async () => {
      const created = await counted.create(sampleRequest());
      await counted.update({ ...created.value, status: 'Denied' }, created.etag);
      log.clear();
      assert.equal((await counted.get(created.value.id, { withApprovalMessages: true, recent: true }))?.value.status, 'Denied');
      assert.equal(log.seen.length, 1, 'read');
    });

    describe("this process's own card save (the fan-out) and a decision on the same request", () => {
      /** A store whose next card save is committed by the service but not yet answered to it, until released. */
      async function withHeldCardSave(): Promise<{ store: TableRequestStore; committed: Promise<void>; release: () => void }> {
        const hold = new CardSaveHold();
        const store = await TableRequestStore.open({
          connectionString: testStorageConnectionString(),
          tablePrefix,
          clientOptions: {
            additionalPolicies: [
              { position: 'perCall', policy: log.policy },
              { position: 'perCall', policy: hold.policy },
            ],
          },
        });
        return { store, ...hold.arm() };
      }

      it('a write against the version the save moved on from fails without a call, and the version the save left is written in one', async () => {
        const { store: held, committed, release } = await withHeldCardSave();
        const created = await held.create(sampleRequest());
        const id = created.value.id;
        const saving = held.saveApprovalMessages(id, [card(id, 'a1')], { unchangedSince: created.etag });
        await committed;
        log.clear();
        const deciding = held.update({ ...created.value, status: 'Approved' }, created.etag, { previous: created.value });
        // The decision waits for the save instead of racing it: nothing sent while the save is unanswered.
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(log.seen.length, 0, 'no write against a version the save has moved on from');
        release();
        const saved = await saving;
        await assert.rejects(deciding, ConcurrencyConflict);
        assert.equal(log.seen.length, 0, 'the conflict is known without a call');
        const recent = await held.get(id, { withApprovalMessages: true, recent: true });
        assert.equal(log.seen.length, 0, 'the version the save left is served without a read');
        assert.equal(recent?.etag, saved.requestEtag);
        assert.deepEqual(
          recent?.approvalMessages?.map((m) => m.approverId),
          ['a1'],
        );
        const decided = await held.update({ ...created.value, status: 'Approved' }, recent.etag, { previous: recent.value });
        assert.equal(log.seen.length, 1, 'one write');
        assert.equal((await other.get(id))?.etag, decided.etag);
      });

      it('a write that lost to the save at the service keeps the version the save left, not the one that failed', async () => {
        const created = await counted.create(sampleRequest());
        const id = created.value.id;
        // The save lands between the write's start and its commit (as when the click and the fan-out cross).
        let armed = false;
        let saved: Promise<CardsSaved> | undefined;
        const racing = await TableRequestStore.open({
          connectionString: testStorageConnectionString(),
          tablePrefix,
          clientOptions: {
            additionalPolicies: [
              {
                position: 'perCall',
                policy: interceptor('cardSaveFirst', async (request) => {
                  if (!armed || String(request.body).includes(CARD_ROW_PREFIX)) return;
                  armed = false;
                  saved = racing.saveApprovalMessages(id, [card(id, 'a1')], { unchangedSince: remembered.etag });
                  await saved;
                }),
              },
              { position: 'perCall', policy: log.policy },
            ],
          },
        });
        const remembered = (await racing.get(id, { withApprovalMessages: true, recent: true }))!;
        armed = true;
        await assert.rejects(
          racing.update({ ...created.value, status: 'Approved' }, remembered.etag, { previous: remembered.value }),
          ConcurrencyConflict,
        );
        log.clear();
        const recent = await racing.get(id, { withApprovalMessages: true, recent: true });
        assert.equal(log.seen.length, 0, 'served without a read');
        assert.equal(recent?.etag, (await saved)?.requestEtag);
        assert.deepEqual(
          recent?.approvalMessages?.map((m) => m.approverId),
          ['a1'],
        );
      });
    });

    it('a version another process moved past cannot be written: a card it stored or a write it made fails the writer, who reads again', async () => {
      for (const move of ['cards stored without a version', 'cards stored against a version', 'request written'] as const) {
        const created = await counted.create(sampleRequest());
        const id = created.value.id;
        const remembered = await counted.get(id, { withApprovalMessages: true, recent: true });
        assert.equal(remembered?.etag, created.etag, move);
        if (move === 'cards stored without a version') await other.saveApprovalMessages(id, [card(id, 'late')]);
        if (move === 'cards stored against a version')
          await other.saveApprovalMessages(id, [card(id, 'late')], { unchangedSince: created.etag });
        if (move === 'request written') await other.update({ ...created.value, justification: 'edited elsewhere' }, created.etag);
        // Still what this process remembers (it cannot know), and a write against it fails.
        assert.equal((await counted.get(id, { withApprovalMessages: true, recent: true }))?.etag, created.etag, move);
        await assert.rejects(counted.update({ ...created.value, status: 'Approved' }, created.etag), ConcurrencyConflict, move);
        // The failure retired it: the next get reads what is stored.
        log.clear();
        const fresh = await counted.get(id, { withApprovalMessages: true, recent: true });
        assert.equal(log.seen.length, 1, move);
        assert.notEqual(fresh?.etag, created.etag, move);
        if (move !== 'request written')
          assert.deepEqual(
            fresh?.approvalMessages?.map((m) => m.approverId),
            ['late'],
            move,
          );
      }
    });
  });
});
