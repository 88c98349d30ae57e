/** loadRequestFor and rightsOf: who may get at a request, without I/O (a stub store). */
import { strict as assert } from 'node:assert';
import type { AuditEntry, GuestRequest } from '../../src/domain/guestRequest';
import { loadRequestFor, rightsOf, type RequestRight } from '../../src/domain/usecases/requestAccess';
import type { Workflow } from '../../src/domain/usecases/workflow';
import { sampleRequest } from '../support/fixtures';

const REQUESTER = { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Rita' };
const APPROVER = { id: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'Anna' };
const OTHER = { id: 'cccccccc-0000-4000-8000-000000000003', name: 'Otto' };

function stubWorkflow(requests: GuestRequest[], channelCards: Record<string, string> = {}, approvalChannelId?: string) {
  const reads: string[] = [];
  const audits: AuditEntry[] = [];
  const wf = {
    approvers: { isApprover: async (id: string) => id === APPROVER.id },
    store: {
      get: async (id: string) => {
        reads.push(id);
        const found = requests.find((r) => r.id === id);
        return found ? { value: found, etag: 'e1' } : undefined;
      },
      appendAudit: async (entry: AuditEntry) => {
        audits.push(entry);
      },
      listApprovalMessages: async (id: string) =>
        channelCards[id] ? [{ requestId: id, approverId: `channel:${channelCards[id]}`, channelId: channelCards[id] }] : [],
    },
    clock: { now: () => new Date('2026-01-02T00:00:00Z') },
    log: { info() {}, warn() {}, error() {}, debug() {} },
    approvalChannelId,
  } as unknown as Workflow;
  return { wf, reads, audits };
}

describe('loadRequestFor', () => {
  const request = sampleRequest({ requester: REQUESTER });

  it('rightsOf: the requester may view and cancel, an approver may view and decide, anyone else nothing', () => {
    assert.deepEqual(rightsOf(request, REQUESTER.id, false), { requester: true, decide: false, memberApprover: false, view: true });
    assert.deepEqual(rightsOf(request, REQUESTER.id.toUpperCase(), false).requester, true, 'ids compared case-insensitively');
    assert.deepEqual(rightsOf(request, APPROVER.id, true), { requester: false, decide: true, memberApprover: false, view: true });
    assert.deepEqual(rightsOf(request, OTHER.id, false), { requester: false, decide: false, memberApprover: false, view: false });
  });

  it('answers a forbidden request exactly as a missing one, for every right', async () => {
    for (const right of ['requester', 'view'] as RequestRight[]) {
      const { wf } = stubWorkflow([request]);
      assert.deepEqual(await loadRequestFor(wf, request.id, { person: OTHER }, right), { kind: 'notFound' });
      assert.deepEqual(await loadRequestFor(wf, 'GR-MISSING0001', { person: OTHER }, right), { kind: 'notFound' });
    }
    const { wf } = stubWorkflow([request]);
    assert.deepEqual(
      await loadRequestFor(wf, request.id, { person: APPROVER }, 'requester'),
      { kind: 'notFound' },
      'an approver cannot cancel',
    );
  });

  it('a decision verb from a non-approver reads nothing and answers the same for every id', async () => {
    const { wf, reads, audits } = stubWorkflow([request]);
    assert.deepEqual(await loadRequestFor(wf, request.id, { person: OTHER }, 'decide', { detail: 'Approved' }), { kind: 'notApprover' });
    assert.deepEqual(await loadRequestFor(wf, 'GR-MISSING0001', { person: OTHER }, 'decide', { detail: 'Approved' }), {
      kind: 'notApprover',
    });
    assert.deepEqual(reads, [], 'the store was not read');
    assert.deepEqual(
      audits.map((a) => [a.action, a.detail, a.from]),
      [
        ['refused:notApprover', 'Approved', undefined],
        ['refused:notApprover', 'Approved', undefined],
      ],
    );
  });

  it("forbidden and missing leave the same shape in the store (one read, one audit row), told apart only in the operators' trail", async () => {
    const { wf, reads, audits } = stubWorkflow([request]);
    await loadRequestFor(wf, request.id, { person: OTHER }, 'requester', { detail: 'cancel' });
    await loadRequestFor(wf, 'GR-MISSING0001', { person: OTHER }, 'requester', { detail: 'cancel' });
    assert.equal(reads.length, 2);
    assert.deepEqual(
      audits.map((a) => a.action),
      ['refused:notRequester', 'refused:notFound'],
    );
  });

  it("entitled callers get the request and their rights; the approvers' channel may view its own cards only", async () => {
    const other = sampleRequest({ id: 'GR-TEST000002', requester: REQUESTER });
    const { wf } = stubWorkflow([request, other], { [request.id]: '19:approvers@thread.tacv2' }, '19:approvers@thread.tacv2');
    const mine = await loadRequestFor(wf, request.id, { person: REQUESTER }, 'view');
    assert.equal(mine.kind, 'found');
    const decide = await loadRequestFor(wf, request.id, { person: APPROVER }, 'decide');
    assert.ok(decide.kind === 'found' && decide.rights.decide);
    assert.equal((await loadRequestFor(wf, request.id, { person: OTHER, inApprovalChannel: true }, 'view')).kind, 'found');
    assert.equal(
      (await loadRequestFor(wf, other.id, { person: OTHER, inApprovalChannel: true }, 'view')).kind,
      'notFound',
      'no card of it in the channel',
    );
    assert.equal(
      (await loadRequestFor(wf, request.id, { person: OTHER, inApprovalChannel: true }, 'requester')).kind,
      'notFound',
      'viewing only',
    );
  });
});
