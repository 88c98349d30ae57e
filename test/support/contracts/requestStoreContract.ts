/**
 * What every RequestStore must do, as the use cases rely on it. Run against TableRequestStore on
 * Azurite (test/adapters/storage/storeContract.spec.ts) and against the memory store the unit
 * tests use (test/unit/memory/memoryStoreContract.spec.ts): the double is held to the real thing.
 */
import assert from 'node:assert/strict';
import type { ApprovalMessage, AuditEntry, GuestRequest } from '../../../src/domain/guestRequest';
import { ConcurrencyConflict, type RequestStore } from '../../../src/domain/ports';

const BASE = '2025-03-01T08:00:00.000Z';
const actor = { id: 'approver-1', name: 'Ann Approver' };

function at(seconds: number): string {
  return new Date(Date.parse(BASE) + seconds * 1000).toISOString();
}

function request(id: string, overrides: Partial<GuestRequest> = {}): GuestRequest {
  const createdAt = overrides.createdAt ?? BASE;
  return {
    id,
    status: 'Pending',
    guest: { email: 'ada@example.com', displayName: 'Ada', sendInvitationMessage: true },
    justification: 'Joint work',
    requester: { id: 'requester-1', name: 'Rita' },
    requesterAddress: { serviceUrl: 'https://smba.example/emea/', channelId: 'msteams', conversationId: 'a:1' },
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

function entry(requestId: string, time: string, action: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { requestId, at: time, actor, action, ...extra };
}

const isStatus = (code: number) => (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { statusCode?: unknown }).statusCode === code;

async function allPages(list: (cursor?: string) => Promise<{ items: readonly GuestRequest[]; next?: string }>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list(cursor);
    ids.push(...page.items.map((r) => r.id));
    cursor = page.next;
    assert.ok(++pages < 100, 'paging does not end');
  } while (cursor);
  return ids;
}

export function requestStoreContract(makeStore: () => Promise<RequestStore>): void {
  let store: RequestStore;
  beforeEach(async () => {
    store = await makeStore();
  });

  describe('writes and eTags', () => {
    it('reads back what was stored, with the eTag the write returned; an unknown id is undefined', async () => {
      const created = await store.create(request('r1'));
      assert.deepEqual(created.value, request('r1'));
      const read = await store.get('r1');
      assert.deepEqual(read, { value: request('r1'), etag: created.etag });
      assert.equal(await store.get('r2'), undefined);
    });

    it('refuses to create an id that exists (409), leaving the first untouched', async () => {
      await store.create(request('r1'));
      await assert.rejects(store.create(request('r1', { justification: 'other' })), isStatus(409));
      assert.equal((await store.get('r1'))?.value.justification, 'Joint work');
    });

    it('gives every write a new eTag; a stale eTag throws ConcurrencyConflict and keeps the newer version', async () => {
      const created = await store.create(request('r1'));
      const approved = await store.update({ ...created.value, status: 'Approved' }, created.etag);
      assert.notEqual(approved.etag, created.etag);
      await assert.rejects(store.update({ ...created.value, status: 'Denied' }, created.etag), ConcurrencyConflict);
      const again = await store.update({ ...approved.value, justification: 'renamed' }, approved.etag);
      assert.notEqual(again.etag, approved.etag);
      assert.deepEqual(await store.get('r1'), {
        value: { ...created.value, status: 'Approved', justification: 'renamed' },
        etag: again.etag,
      });
    });

    it('refuses to update an unknown request (404) rather than creating it', async () => {
      const created = await store.create(request('r1'));
      await assert.rejects(store.update(request('r2'), created.etag), isStatus(404));
      assert.equal(await store.get('r2'), undefined);
    });

    it('lets exactly one of two concurrent updates from the same eTag through', async () => {
      const created = await store.create(request('r1'));
      const results = await Promise.allSettled(
        (['Approved', 'Denied'] as const).map((status) => store.update({ ...created.value, status }, created.etag)),
      );
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(lost.length, 1);
      assert.ok(lost[0]?.reason instanceof ConcurrencyConflict);
      const won = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ value: GuestRequest; etag: string }>;
      assert.deepEqual(await store.get('r1'), won.value);
    });

    it('reads back a JSON copy: undefined fields are gone, and later changes to the written object do not leak in', async () => {
      const written = { ...request('r1'), failure: undefined, decision: { by: actor, at: BASE, outcome: 'Approved' as const } };
      await store.create(written);
      const read = (await store.get('r1'))?.value;
      assert.ok(read && !('failure' in read));
      (written.decision as { outcome: string }).outcome = 'Denied';
      assert.equal((await store.get('r1'))?.value.decision?.outcome, 'Approved');
    });
  });

  describe('a write and its audit entry', () => {
    it('commit together; a duplicate create stores neither', async () => {
      await store.create(request('r1'), { audit: entry('r1', BASE, 'submitted', { to: 'Pending' }) });
      await assert.rejects(store.create(request('r1'), { audit: entry('r1', BASE, 'submitted again') }), isStatus(409));
      assert.deepEqual(await store.listAudit('r1'), [entry('r1', BASE, 'submitted', { to: 'Pending' })]);
    });

    it('of two racing updates with entries, only the winner’s entry is kept', async () => {
      const created = await store.create(request('r1'));
      const results = await Promise.allSettled(
        (['Approved', 'Denied'] as const).map((status) =>
          store.update({ ...created.value, status }, created.etag, {
            audit: entry('r1', at(5), `status:${status}`, { from: 'Pending', to: status }),
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const status = (await store.get('r1'))?.value.status;
      assert.deepEqual(
        (await store.listAudit('r1')).map((e) => e.action),
        [`status:${status}`],
      );
    });

    it('refuses an entry for another request or with an unorderable time before writing anything', async () => {
      await assert.rejects(store.create(request('r1'), { audit: entry('r2', BASE, 'submitted') }), RangeError);
      await assert.rejects(store.create(request('r1'), { audit: entry('r1', 'yesterday', 'submitted') }), RangeError);
      assert.equal(await store.get('r1'), undefined);
      const created = await store.create(request('r1'));
      await assert.rejects(
        store.update({ ...created.value, status: 'Approved' }, created.etag, { audit: entry('r2', BASE, 'x') }),
        RangeError,
      );
      assert.deepEqual(await store.get('r1'), created);
      assert.deepEqual(await store.listAudit('r1'), []);
      assert.deepEqual(await store.listAudit('r2'), []);
    });

    it('lists a trail oldest first, entries of one millisecond in the order they were appended', async () => {
      await store.appendAudit(entry('r1', at(5), 'late'));
      await store.appendAudit(entry('r1', at(0), 'early'));
      for (let i = 0; i < 4; i++) await store.appendAudit(entry('r1', at(1), `same-${i}`));
      await store.appendAudit(entry('r2', at(0), 'other'));
      assert.deepEqual(
        (await store.listAudit('r1')).map((e) => e.action),
        ['early', 'same-0', 'same-1', 'same-2', 'same-3', 'late'],
      );
      await assert.rejects(store.appendAudit(entry('r1', 'not a time', 'bad')), RangeError);
    });
  });

  describe('listings', () => {
    it('lists a status oldest first in pages; the last page has no cursor', async () => {
      for (const i of [4, 0, 6, 2, 5, 1, 3]) await store.create(request(`p${i}`, { createdAt: at(i) }));
      await store.create(request('d1', { status: 'Denied', createdAt: at(3) }));
      const first = await store.listByStatus('Pending', 3);
      assert.deepEqual(
        first.items.map((r) => r.id),
        ['p0', 'p1', 'p2'],
      );
      const second = await store.listByStatus('Pending', 3, first.next);
      assert.deepEqual(
        second.items.map((r) => r.id),
        ['p3', 'p4', 'p5'],
      );
      const third = await store.listByStatus('Pending', 3, second.next);
      assert.deepEqual(third, { items: [third.items[0]] });
      assert.equal(third.items[0]?.id, 'p6');
      assert.deepEqual(
        (await store.listByStatus('Denied', 10)).items.map((r) => r.id),
        ['d1'],
      );
      assert.deepEqual(await store.listByStatus('Invited', 10), { items: [] });
    });

    it('ends a listing whose last page is exactly full without a cursor', async () => {
      for (let i = 0; i < 4; i++) await store.create(request(`p${i}`, { createdAt: at(i) }));
      const first = await store.listByStatus('Pending', 2);
      const second = await store.listByStatus('Pending', 2, first.next);
      assert.deepEqual(
        second.items.map((r) => r.id),
        ['p2', 'p3'],
      );
      assert.equal(second.next, undefined);
    });

    it('lists only requests created at or after createdSince', async () => {
      for (let i = 0; i < 5; i++) await store.create(request(`p${i}`, { createdAt: at(i * 60) }));
      assert.deepEqual(await allPages((c) => store.listByStatus('Pending', 2, c, { createdSince: at(120) })), ['p2', 'p3', 'p4']);
      assert.deepEqual(
        (await store.listByStatus('Pending', 10, undefined, { createdSince: at(121) })).items.map((r) => r.id),
        ['p3', 'p4'],
      );
    });

    it('lists one requester newest first in pages, nobody else’s', async () => {
      for (let i = 0; i < 5; i++) await store.create(request(`m${i}`, { createdAt: at(i) }));
      await store.create(request('theirs', { requester: { id: 'requester-2', name: 'Other' } }));
      const first = await store.listByRequester('requester-1', 2);
      assert.deepEqual(
        first.items.map((r) => r.id),
        ['m4', 'm3'],
      );
      assert.ok(first.next);
      assert.deepEqual(await allPages((c) => store.listByRequester('requester-1', 2, c)), ['m4', 'm3', 'm2', 'm1', 'm0']);
      assert.deepEqual((await store.listByRequester('requester-3', 2)).items, []);
    });

    it('moves a request between status listings when it changes, listing its current state once', async () => {
      const created = await store.create(request('r1'));
      await store.create(request('r2', { createdAt: at(1) }));
      await store.update({ ...created.value, status: 'Approved', justification: 'changed' }, created.etag);
      assert.deepEqual(
        (await store.listByStatus('Pending', 10)).items.map((r) => r.id),
        ['r2'],
      );
      assert.deepEqual(
        (await store.listByStatus('Approved', 10)).items.map((r) => r.justification),
        ['changed'],
      );
      assert.deepEqual(
        (await store.listByRequester('requester-1', 10)).items.map((r) => `${r.id}:${r.status}`),
        ['r2:Pending', 'r1:Approved'],
      );
    });

    it('lists by status only requests with work left; finished ones only per requester', async () => {
      const invited = await store.create(request('done', { status: 'Approved' }));
      await store.update({ ...invited.value, status: 'Invited' }, invited.etag);
      await store.create(request('told', { status: 'Denied', requesterNotifiedAt: at(2), createdAt: at(1) }));
      await store.create(request('untold', { status: 'Denied', createdAt: at(2) }));
      await store.create(request('failed', { status: 'Failed', createdAt: at(3) }));
      assert.deepEqual(await allPages((c) => store.listByStatus('Invited', 10, c)), []);
      assert.deepEqual(await allPages((c) => store.listByStatus('Denied', 10, c)), ['untold']);
      assert.deepEqual(await allPages((c) => store.listByStatus('Failed', 10, c)), []);
      assert.deepEqual(
        (await store.listByRequester('requester-1', 10)).items.map((r) => r.id),
        ['failed', 'untold', 'told', 'done'],
      );
    });

    it('refuses cursors that are malformed or from another listing, and a limit below 1', async () => {
      for (let i = 0; i < 3; i++) await store.create(request(`p${i}`, { createdAt: at(i) }));
      const page = await store.listByStatus('Pending', 1);
      assert.ok(page.next);
      await assert.rejects(store.listByStatus('Approved', 1, page.next), RangeError);
      await assert.rejects(store.listByRequester('requester-1', 1, page.next), RangeError);
      await assert.rejects(store.listByStatus('Pending', 1, 'not a cursor'), RangeError);
      await assert.rejects(store.listByStatus('Pending', 0), RangeError);
    });
  });

  describe('approval messages', () => {
    const message = (requestId: string, approverId: string, activityId: string): ApprovalMessage => ({
      requestId,
      approverId,
      activityId,
      address: { serviceUrl: 'https://smba.example/emea/', channelId: 'msteams', conversationId: `a:${approverId}` },
    });

    it('keeps one per approver and request, the last saved', async () => {
      await store.saveApprovalMessage(message('r1', 'approver-1', 'act-1'));
      await store.saveApprovalMessage(message('r1', '29:approver/2', 'act-2'));
      await store.saveApprovalMessage(message('r2', 'approver-1', 'act-3'));
      await store.saveApprovalMessage(message('r1', 'approver-1', 'act-1b'));
      const saved = await store.listApprovalMessages('r1');
      assert.deepEqual(
        [...saved].sort((a, b) => a.approverId.localeCompare(b.approverId)),
        [message('r1', '29:approver/2', 'act-2'), message('r1', 'approver-1', 'act-1b')],
      );
      assert.deepEqual(await store.listApprovalMessages('r2'), [message('r2', 'approver-1', 'act-3')]);
      assert.deepEqual(await store.listApprovalMessages('r3'), []);
    });

    it('stores several at once and reads them with the request in one call', async () => {
      const created = await store.create(request('r1'));
      const saved = await store.saveApprovalMessages('r1', [message('r1', 'approver-1', 'a1'), message('r1', 'approver-2', 'a2')]);
      assert.deepEqual(saved, { requestChanged: false });
      const read = await store.get('r1', { withApprovalMessages: true });
      assert.deepEqual(read?.value, created.value, 'the request itself is unchanged');
      assert.notEqual(read?.etag, created.etag, 'storing cards moves its version, even without one to compare');
      await assert.rejects(store.update({ ...created.value, status: 'Approved' }, created.etag), ConcurrencyConflict);
      assert.deepEqual(read?.approvalMessages?.map((m) => m.activityId).sort(), ['a1', 'a2']);
      assert.equal((await store.get('r1'))?.approvalMessages, undefined, 'only when asked for');
      await assert.rejects(store.saveApprovalMessages('r1', [message('r2', 'approver-1', 'x')]), RangeError);
    });

    it('tells whether the request changed since a version, and makes a writer holding that version read again', async () => {
      const created = await store.create(request('r1'));
      const first = await store.saveApprovalMessages('r1', [message('r1', 'approver-1', 'a1')], { unchangedSince: created.etag });
      assert.equal(first.requestChanged, false);
      assert.ok(first.requestEtag && first.requestEtag !== created.etag);
      assert.deepEqual((await store.get('r1'))?.value, created.value, 'the request itself is unchanged');
      // A decision read before the cards were stored cannot be written without reading them.
      await assert.rejects(store.update({ ...created.value, status: 'Approved' }, created.etag), ConcurrencyConflict);
      const decided = await store.update({ ...created.value, status: 'Approved' }, first.requestEtag);
      const second = await store.saveApprovalMessages('r1', [message('r1', 'approver-2', 'a2')], { unchangedSince: first.requestEtag });
      assert.deepEqual(second, { requestChanged: true });
      // Stored without moving the version again: the decision's next step writes against its own.
      assert.equal((await store.get('r1'))?.etag, decided.etag);
      assert.equal((await store.listApprovalMessages('r1')).length, 2, 'the cards are stored either way');
    });
  });

  describe("a request's leases", () => {
    const TTL = 60_000;

    it('are taken and given up by request writes, and then behave as leases', async () => {
      const created = await store.create(request('r1'), { lease: { take: { kind: 'route', owner: 'p1/a', ttlMs: TTL } } });
      assert.equal(created.leaseTaken, true);
      assert.equal(await store.leases.tryAcquire('r1', 'route', 'p2/b', TTL), false, 'held by the writer');
      assert.equal(await store.leases.renew('r1', 'route', 'p1/a', TTL), true);
      await store.saveApprovalMessages('r1', [], { release: { kind: 'route', owner: 'p1/a' } });
      assert.equal(await store.leases.tryAcquire('r1', 'route', 'p2/b', TTL), true, 'given up with the cards');
      await store.leases.release('r1', 'route', 'p2/b');

      const approved = await store.update({ ...created.value, status: 'Approved' }, created.etag, {
        lease: { take: { kind: 'invite', owner: 'p1/c', ttlMs: TTL } },
      });
      assert.equal(approved.leaseTaken, true);
      assert.equal(await store.leases.tryAcquire('r1', 'invite', 'p2/d', TTL), false);
      await store.update({ ...approved.value, status: 'Invited' }, approved.etag, {
        lease: { release: { kind: 'invite', owner: 'p1/c' } },
      });
      assert.equal(await store.leases.tryAcquire('r1', 'invite', 'p2/d', TTL), true, 'given up with the final write');
    });

    it('never make a write fail: a lease someone holds is not taken, and the write is stored', async () => {
      const created = await store.create(request('r1'));
      assert.equal(await store.leases.tryAcquire('r1', 'invite', 'other/x', TTL), true);
      const approved = await store.update({ ...created.value, status: 'Approved' }, created.etag, {
        lease: { take: { kind: 'invite', owner: 'p1/c', ttlMs: TTL } },
      });
      assert.equal(approved.leaseTaken, false);
      assert.equal((await store.get('r1'))?.value.status, 'Approved');
      // A release by someone who does not hold it leaves the holder's lease alone.
      await store.update({ ...approved.value, status: 'Invited' }, approved.etag, {
        lease: { release: { kind: 'invite', owner: 'p1/c' } },
      });
      assert.equal(await store.leases.tryAcquire('r1', 'invite', 'p3/e', TTL), false, 'still the other holder’s');
      // A stale eTag still fails, lease or not.
      await assert.rejects(
        store.update({ ...approved.value, status: 'Failed' }, approved.etag, {
          lease: { take: { kind: 'team', owner: 'p1/f', ttlMs: TTL } },
        }),
        ConcurrencyConflict,
      );
    });
  });
}
