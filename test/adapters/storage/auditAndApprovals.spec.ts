/** The audit trail and approval-message records of TableRequestStore, against Azurite. */
import assert from 'node:assert/strict';
import type { ApprovalMessage, AuditEntry } from '../../../src/domain/guestRequest';
import { TableRequestStore } from '../../../src/adapters/storage/tableRequestStore';
import { testStorageConnectionString } from '../../support/env';
import { ConcurrencyConflict } from '../../../src/domain/ports';
import { StorageError } from '../../../src/adapters/storage/storageErrors';
import { sampleRequest, uniquePrefix } from './storageTestKit';

const actor = { id: 'approver-1', name: 'Ann Approver' };

function entry(requestId: string, at: string, action: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { requestId, at, actor, action, ...extra };
}

function message(requestId: string, approverId: string, activityId: string): ApprovalMessage {
  return {
    requestId,
    approverId,
    activityId,
    address: {
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      channelId: 'msteams',
      conversationId: `a:${approverId}`,
      tenantId: 'tenant-1',
    },
  };
}

describe('TableRequestStore audit and approval messages', () => {
  let store: TableRequestStore;

  beforeEach(async () => {
    store = await TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix: uniquePrefix() });
  });

  describe('audit', () => {
    it('returns a request’s entries oldest first, keeping same-millisecond entries apart and in order', async () => {
      const t = '2025-02-01T09:00:00.000Z';
      await store.appendAudit(
        entry('r1', '2025-02-01T09:00:05.000Z', 'approve', { from: 'Pending', to: 'Approved', detail: 'looks fine' }),
      );
      await store.appendAudit(entry('r1', t, 'submit', { to: 'Pending' }));
      for (let i = 0; i < 5; i++) await store.appendAudit(entry('r1', '2025-02-01T09:00:01.000Z', `same-ms-${i}`));
      await store.appendAudit(entry('r2', t, 'submit'));

      const trail = await store.listAudit('r1');
      assert.deepEqual(
        trail.map((e) => e.action),
        ['submit', 'same-ms-0', 'same-ms-1', 'same-ms-2', 'same-ms-3', 'same-ms-4', 'approve'],
      );
      assert.deepEqual(
        trail[6],
        entry('r1', '2025-02-01T09:00:05.000Z', 'approve', { from: 'Pending', to: 'Approved', detail: 'looks fine' }),
      );
      assert.deepEqual(
        (await store.listAudit('r2')).map((e) => e.action),
        ['submit'],
      );
      assert.deepEqual(await store.listAudit('unknown'), []);
    });

    it('keeps concurrent appends in the same millisecond', async () => {
      const at = '2025-02-01T09:00:00.000Z';
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendAudit(entry('r/#?', at, `a${i}`))));
      assert.equal((await store.listAudit('r/#?')).length, 20);
    });

    it('refuses an entry whose time cannot be ordered', async () => {
      await assert.rejects(store.appendAudit(entry('r1', 'yesterday', 'submit')), RangeError);
    });

    it('commits a create and its entry together; a duplicate create stores neither', async () => {
      const request = sampleRequest();
      const created = await store.create(request, { audit: entry(request.id, request.createdAt, 'submitted', { to: 'Pending' }) });
      assert.deepEqual((await store.get(request.id))?.value, created.value);
      await assert.rejects(
        store.create(request, { audit: entry(request.id, request.createdAt, 'submitted again') }),
        (err: unknown) => err instanceof StorageError && err.statusCode === 409,
      );
      assert.deepEqual(
        (await store.listAudit(request.id)).map((e) => e.action),
        ['submitted'],
      );
    });

    it('commits a status change and its entry together; the write that loses a race leaves no entry', async () => {
      const created = await store.create(sampleRequest());
      const id = created.value.id;
      const at = '2025-02-01T09:00:05.000Z';
      const approved = { ...created.value, status: 'Approved' as const };
      const denied = { ...created.value, status: 'Denied' as const };
      await store.update(approved, created.etag, { audit: entry(id, at, 'status:Approved', { from: 'Pending', to: 'Approved' }) });
      await assert.rejects(
        store.update(denied, created.etag, { audit: entry(id, at, 'status:Denied', { from: 'Pending', to: 'Denied' }) }),
        ConcurrencyConflict,
      );
      assert.equal((await store.get(id))?.value.status, 'Approved');
      assert.deepEqual(
        (await store.listAudit(id)).map((e) => e.action),
        ['status:Approved'],
      );
    });

    it('of two simultaneous decisions, exactly one is stored and audited', async () => {
      const created = await store.create(sampleRequest());
      const id = created.value.id;
      const outcomes = await Promise.allSettled(
        (['Approved', 'Denied'] as const).map((status) =>
          store.update({ ...created.value, status }, created.etag, {
            audit: entry(id, '2025-02-01T09:00:05.000Z', `status:${status}`, { from: 'Pending', to: status }),
          }),
        ),
      );
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      const stored = (await store.get(id))?.value.status;
      assert.deepEqual(
        (await store.listAudit(id)).map((e) => e.action),
        [`status:${stored}`],
      );
    });

    it('refuses an entry that names another request, before writing anything', async () => {
      const request = sampleRequest();
      await assert.rejects(store.create(request, { audit: entry('someone-else', request.createdAt, 'submitted') }), RangeError);
      assert.equal(await store.get(request.id), undefined);
      assert.deepEqual(await store.listAudit('someone-else'), []);
    });

    it('keeps the trail next to its request without either showing up as the other', async () => {
      const request = sampleRequest();
      const created = await store.create(request, { audit: entry(request.id, '2025-02-01T09:00:00.000Z', 'submitted') });
      await store.appendAudit(entry(created.value.id, '2025-02-01T09:00:01.000Z', 'refused:notApprover'));
      assert.deepEqual((await store.get(created.value.id))?.value, created.value);
      assert.deepEqual(
        (await store.listAudit(created.value.id)).map((e) => e.action),
        ['submitted', 'refused:notApprover'],
      );
    });
  });

  describe('approval messages', () => {
    it('keeps one message per approver, replacing it when saved again', async () => {
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
  });
});
