/** decideRequest on memory adapters: one decision per request whatever the races, refusals audited. */
import { strict as assert } from 'node:assert';
import { decideRequest, MAX_REASON_LENGTH } from '../../../../src/domain/usecases/approval/decideRequest';
import { routeApprovals } from '../../../../src/domain/usecases/approval/routeApprovals';
import type { Person } from '../../../../src/domain/guestRequest';
import { ANN, BEN, memoryWorkflow, OLLI, RITA, seedRequest, stored, trail, type MemoryHouse } from '../../../support/memory/memoryWorkflow';

describe('decideRequest', () => {
  let house: MemoryHouse;
  let id: string;
  beforeEach(async () => {
    house = memoryWorkflow();
    id = (await seedRequest(house)).value.id;
    house.clock.advance(60_000);
  });

  const decide = (decider: Person, outcome: 'Approved' | 'Denied', reason?: string, requestId = id) =>
    decideRequest(house.wf, { requestId, decider, outcome, ...(reason !== undefined ? { reason } : {}) });

  it('approves: stores the decision and its audit entry together', async () => {
    const result = await decide(ANN, 'Approved');
    assert.equal(result.kind, 'decided');
    const request = await stored(house, id);
    assert.equal(request.status, 'Approved');
    const at = house.clock.now().toISOString();
    assert.deepEqual(request.decision, { by: ANN, at, outcome: 'Approved' });
    assert.equal(request.updatedAt, at);
    assert.deepEqual((await house.store.listAudit(id))[1], {
      requestId: id,
      at,
      actor: ANN,
      action: 'status:Approved',
      from: 'Pending',
      to: 'Approved',
    });
    // The decision alone sends nothing: afterDecision does that off the invoke's path.
    assert.deepEqual(house.notifier.calls, []);
    assert.deepEqual(house.directory.invites, []);
  });

  it('denies with a reason, which is cleaned and kept on the decision and the entry', async () => {
    const result = await decide(BEN, 'Denied', '  not \u0007needed  ');
    assert.equal(result.kind, 'decided');
    const request = await stored(house, id);
    assert.equal(request.status, 'Denied');
    assert.equal(request.decision?.reason, 'not needed');
    assert.equal((await house.store.listAudit(id))[1]?.detail, 'not needed');
  });

  it('refuses a denial without a reason, or with one too long, changing nothing', async () => {
    for (const reason of [undefined, '   ', 'x'.repeat(MAX_REASON_LENGTH + 1)]) {
      const result = await decide(ANN, 'Denied', reason);
      assert.equal(result.kind, 'invalid');
      assert.equal(result.kind === 'invalid' && result.problem.code, reason && reason.trim() ? 'reason.tooLong' : 'deny.reasonMissing');
    }
    assert.equal((await stored(house, id)).status, 'Pending');
    assert.deepEqual(await trail(house, id), ['submitted']);
    assert.equal(house.store.writes, 1);
  });

  it('refuses someone who is not an approver before reading the request, auditing the attempt', async () => {
    const result = await decide(OLLI, 'Approved');
    assert.equal(result.kind, 'notApprover');
    assert.equal((await stored(house, id)).status, 'Pending');
    const entry = (await house.store.listAudit(id))[1];
    // Not read, so the entry cannot say what state it was in.
    assert.deepEqual(entry && { actor: entry.actor, action: entry.action, from: entry.from, detail: entry.detail }, {
      actor: OLLI,
      action: 'refused:notApprover',
      from: undefined,
      detail: 'Approved',
    });
  });

  it('refuses an approver deciding their own request (ids compared case-insensitively)', async () => {
    house = memoryWorkflow({ approverIds: [ANN.id, RITA.id] });
    const own = (await seedRequest(house)).value.id;
    const result = await decide({ ...RITA, id: RITA.id.toUpperCase() }, 'Approved', undefined, own);
    assert.equal(result.kind === 'refused' && result.refusal, 'ownRequest');
    assert.equal((await stored(house, own)).status, 'Pending');
    assert.deepEqual(await trail(house, own), ['submitted', 'refused:ownRequest']);
  });

  it('refuses a second decision and tells who decided first', async () => {
    await decide(ANN, 'Approved');
    const result = await decide(BEN, 'Denied', 'too late');
    assert.equal(result.kind === 'refused' && result.refusal, 'alreadyDecided');
    assert.deepEqual(result.kind === 'refused' && result.request.decision?.by, ANN);
    assert.equal((await stored(house, id)).status, 'Approved');
    assert.deepEqual(await trail(house, id), ['submitted', 'status:Approved', 'refused:alreadyDecided']);
  });

  it('of two approvers clicking at once, exactly one decides; the other is refused', async () => {
    for (let round = 0; round < 10; round++) {
      const requestId = (await seedRequest(house)).value.id;
      const results = await Promise.all([decide(ANN, 'Approved', undefined, requestId), decide(BEN, 'Denied', 'no', requestId)]);
      const decided = results.filter((r) => r.kind === 'decided');
      const refused = results.filter((r) => r.kind === 'refused' && r.refusal === 'alreadyDecided');
      assert.equal(decided.length, 1, `round ${round}`);
      assert.equal(refused.length, 1, `round ${round}`);
      const request = await stored(house, requestId);
      assert.equal(request.status, decided[0]?.kind === 'decided' && decided[0].request.status);
      const statusEntries = (await trail(house, requestId)).filter((action) => action.startsWith('status:'));
      assert.deepEqual(statusEntries, [`status:${request.status}`]);
    }
  });

  it('a decision that loses its write to another re-reads and is refused, leaving no entry of its own transition', async () => {
    // Ben's denial lands between Ann's read and Ann's write.
    house.store.intercept('update', async () => {
      assert.equal((await decide(BEN, 'Denied', 'no budget')).kind, 'decided');
    });
    const result = await decide(ANN, 'Approved');
    assert.equal(result.kind === 'refused' && result.refusal, 'alreadyDecided');
    assert.equal((await stored(house, id)).decision?.by.id, BEN.id);
    assert.deepEqual(await trail(house, id), ['submitted', 'status:Denied', 'refused:alreadyDecided']);
  });

  it('a decision that loses its write to a card save takes up the version with its cards: the follow-up names every card', async () => {
    const seeded = await seedRequest(house, {}, [ANN]);
    const requestId = seeded.value.id;
    // Ben's card is stored (the fan-out touching the request) between Ann's read and Ann's write.
    house.store.intercept('update', async () => {
      const [annCard] = await house.store.listApprovalMessages(requestId);
      await house.store.saveApprovalMessages(requestId, [{ ...annCard!, approverId: BEN.id, activityId: 'ben-card' }], {
        unchangedSince: (await house.store.get(requestId))!.etag,
      });
    });
    const result = await decide(ANN, 'Approved', undefined, requestId);
    assert.equal(result.kind, 'decided');
    const cards = result.kind === 'decided' ? result.followUp.approvalMessages?.map((m) => m.approverId) : undefined;
    assert.deepEqual(cards?.sort(), [ANN.id, BEN.id].sort(), 'read with the version it was written against, not left to a later read');
  });

  it('refuses to approve a colleague (the directory found a member) or a domain the policy now blocks', async () => {
    const colleague = (
      await seedRequest(house, { existingAccount: { checkedAt: house.clock.now().toISOString(), kind: 'member', userId: 'u1' } })
    ).value.id;
    const colleagueResult = await decide(ANN, 'Approved', undefined, colleague);
    assert.equal(colleagueResult.kind === 'invalid' && colleagueResult.problem.code, 'approve.colleague');
    const blocked = (await seedRequest(house, { guest: { email: 'gina@blocked.example', sendInvitationMessage: false } })).value.id;
    const blockedResult = await decide(ANN, 'Approved', undefined, blocked);
    assert.equal(blockedResult.kind === 'invalid' && blockedResult.problem.code, 'policy.blocked');
    assert.equal((await stored(house, blocked)).status, 'Pending');
    assert.deepEqual(await trail(house, blocked), ['submitted', 'refused:policy']);
    // A denial of the same request is fine: the policy guards invitations, not refusals.
    assert.equal((await decide(ANN, 'Denied', 'blocked domain', blocked)).kind, 'decided');
  });

  it('answers notFound for an unknown request, auditing the attempt', async () => {
    assert.deepEqual(await decide(ANN, 'Approved', undefined, 'GR-NOPE'), { kind: 'notFound' });
    assert.deepEqual(await trail(house, 'GR-NOPE'), ['refused:notFound']);
    assert.equal(house.store.requests().length, 1);
  });
});

describe('a decision racing the fan-out (the cards are recorded after the click)', () => {
  it('the fan-out updates the other approvers’ cards, never the one the decision was clicked on', async () => {
    const house = memoryWorkflow();
    const created = await seedRequest(house, {}, []);
    const id = created.value.id;
    // Ann clicks Approve on her card the moment it arrives, before the fan-out has recorded it.
    house.store.intercept('saveApprovalMessages', async () => {
      const annCard = house.notifier.delivered('sendApprovalCard', ANN.id).length;
      assert.equal(annCard, 1, 'her card went out');
      const result = await decideRequest(house.wf, { requestId: id, decider: ANN, outcome: 'Approved', answeredCardId: 'activity-1' });
      assert.equal(result.kind, 'decided');
    });
    await routeApprovals(house.wf, created.value, { justCreated: true, etag: created.etag });
    const updated = house.notifier.delivered('updateApprovalCard').map((c) => c.message?.activityId);
    assert.ok(!updated.includes('activity-1'), `the clicked card is its own answer: not updated (${updated.join(', ')})`);
    assert.equal(updated.length, 1, "the other approver's card shows the decision");
  });
});
