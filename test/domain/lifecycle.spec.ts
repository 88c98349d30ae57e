import { strict as assert } from 'node:assert';
import type { RequestStatus } from '../../src/domain/guestRequest';
import { sampleRequest } from '../support/fixtures';
import { REQUEST_STATUSES } from '../../src/domain/guestRequest';
import { checkDecisionPermission, StaticApprovers } from '../../src/domain/lifecycle/authorization';
import { canTransition, InvalidTransition, isFinal, transition } from '../../src/domain/lifecycle/transitions';

describe('request lifecycle', () => {
  const allowed: Array<[RequestStatus, RequestStatus]> = [
    ['Pending', 'Approved'],
    ['Pending', 'Denied'],
    ['Pending', 'Cancelled'],
    ['Pending', 'Expired'],
    ['Approved', 'Invited'],
    ['Approved', 'Failed'],
    ['Failed', 'Approved'],
  ];

  it('has exactly the transitions of the design', () => {
    for (const from of REQUEST_STATUSES) {
      for (const to of REQUEST_STATUSES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        assert.equal(canTransition(from, to), expected, `${from} → ${to}`);
      }
    }
    assert.deepEqual(REQUEST_STATUSES.filter(isFinal), ['Denied', 'Invited', 'Cancelled', 'Expired']);
  });

  it('transition stamps the time and refuses moves that do not exist', () => {
    const at = new Date('2026-02-02T10:00:00Z');
    const approved = transition(sampleRequest(), 'Approved', at);
    assert.equal(approved.status, 'Approved');
    assert.equal(approved.updatedAt, at.toISOString());
    assert.throws(() => transition(approved, 'Denied', at), InvalidTransition);
    assert.throws(() => transition(sampleRequest({ status: 'Invited' }), 'Approved', at), InvalidTransition);
  });

  it('only approvers decide, never on their own request, and only while pending', () => {
    const request = sampleRequest();
    assert.deepEqual(checkDecisionPermission(request, 'bbbb', true), { ok: true });
    assert.deepEqual(checkDecisionPermission(request, 'bbbb', false), { ok: false, refusal: 'notApprover' });
    assert.deepEqual(checkDecisionPermission(request, request.requester.id.toUpperCase(), true), { ok: false, refusal: 'ownRequest' });
    assert.deepEqual(checkDecisionPermission(sampleRequest({ status: 'Denied' }), 'bbbb', true), { ok: false, refusal: 'alreadyDecided' });
  });

  it('approver ids compare as canonical GUIDs; a non-GUID names nobody', async () => {
    const approvers = new StaticApprovers([
      'AAAAAAAA-0000-4000-8000-000000000001',
      ' {bbbbbbbb-0000-4000-8000-000000000002} ',
      'not-a-guid',
    ]);
    assert.equal(await approvers.isApprover('aaaaaaaa-0000-4000-8000-000000000001'), true);
    assert.equal(await approvers.isApprover('BBBBBBBB-0000-4000-8000-000000000002'), true);
    assert.equal(await approvers.isApprover('cccccccc-0000-4000-8000-000000000003'), false);
    assert.equal(await approvers.isApprover('not-a-guid'), false);
    assert.deepEqual(await approvers.list(), ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002']);
  });
});
