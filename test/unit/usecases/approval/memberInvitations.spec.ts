/**
 * Member invitations on memory adapters: who may ask for one, who may decide or retry it, who gets
 * which approval card, and what Graph is asked for (SECURITY.md, verb × role table).
 */
import { strict as assert } from 'node:assert';
import type { GuestRequest, Person } from '../../../../src/domain/guestRequest';
import { decideRequest } from '../../../../src/domain/usecases/approval/decideRequest';
import { routeApprovals } from '../../../../src/domain/usecases/approval/routeApprovals';
import { inviteGuest } from '../../../../src/domain/usecases/outbox/inviteGuest';
import { retryInvitation } from '../../../../src/domain/usecases/outbox/retryInvitation';
import { approvalViewFor, pendingRequests } from '../../../../src/domain/usecases/queries';
import { submitRequest } from '../../../../src/domain/usecases/request/submitRequest';
import { rightsOf } from '../../../../src/domain/usecases/requestAccess';
import {
  ANN,
  BEN,
  chatOf,
  MIA,
  memoryWorkflow,
  OLLI,
  RITA,
  seedRequest,
  stored,
  trail,
  type MemoryHouse,
} from '../../../support/memory/memoryWorkflow';

const MEMBER_GUEST: Partial<GuestRequest> = {
  guest: { email: 'max@fabrikam.example', displayName: 'Max Member', sendInvitationMessage: false, userType: 'Member' },
};

describe('member invitations', () => {
  let house: MemoryHouse;
  const on = () => (house = memoryWorkflow({ memberApproverIds: [MIA.id] }));
  const form = { email: 'max@fabrikam.example', justification: 'Joins the team as a contractor' };
  const submit = (raw: Record<string, string>, requester: Person = RITA) =>
    submitRequest(house.wf, { raw, requester, requesterAddress: chatOf(requester) });
  const decide = (decider: Person, requestId: string, outcome: 'Approved' | 'Denied' = 'Approved') =>
    decideRequest(house.wf, { requestId, decider, outcome, ...(outcome === 'Denied' ? { reason: 'not now' } : {}) });

  describe('submit', () => {
    it('stores userType Member when asked for with member approvers configured; Guest leaves the request as it always was', async () => {
      on();
      const member = await submit({ ...form, userType: 'Member' });
      assert.ok(member.kind === 'submitted');
      assert.equal(member.request.guest.userType, 'Member');
      assert.equal((await house.store.listAudit(member.request.id))[0]?.detail, 'Member invitation');
      const guest = await submit({ ...form, email: 'gina@fabrikam.example', userType: 'Guest' });
      assert.ok(guest.kind === 'submitted');
      assert.equal('userType' in guest.request.guest, false);
    });

    it('refuses a userType other than Guest or Member next to the field, storing nothing', async () => {
      on();
      const result = await submit({ ...form, userType: 'Admin' });
      assert.equal(result.kind, 'invalid');
      assert.deepEqual(result.kind === 'invalid' && result.errors.userType, { code: 'userType.unknown' });
      assert.equal(house.store.requests().length, 0);
    });

    it('without member approvers, ignores any userType: a forged Member (or junk) is a Guest request', async () => {
      house = memoryWorkflow();
      const forged = await submit({ ...form, userType: 'Member' });
      assert.ok(forged.kind === 'submitted');
      assert.equal(forged.request.guest.userType, undefined);
      const junk = await submit({ ...form, email: 'jo@fabrikam.example', userType: 'Admin' });
      assert.equal(junk.kind, 'submitted');
    });
  });

  describe('decide', () => {
    it('an ordinary approver is refused a Member invitation (audited, nothing changes); a member approver approves it, the trail says Member', async () => {
      on();
      const id = (await seedRequest(house, MEMBER_GUEST)).value.id;
      const refused = await decide(ANN, id);
      assert.equal(refused.kind === 'refused' && refused.refusal, 'memberApproversOnly');
      assert.equal((await stored(house, id)).status, 'Pending');
      assert.ok((await trail(house, id)).includes('refused:memberApproversOnly'));

      const approved = await decide(MIA, id);
      assert.equal(approved.kind, 'decided');
      const entries = await house.store.listAudit(id);
      assert.deepEqual(entries.at(-1)?.action, 'status:Approved');
      assert.equal(entries.at(-1)?.detail, 'Member invitation');
    });

    it('a denial of a Member invitation also needs a member approver, and its entry keeps the reason', async () => {
      on();
      const id = (await seedRequest(house, MEMBER_GUEST)).value.id;
      assert.equal((await decide(BEN, id, 'Denied')).kind, 'refused');
      assert.equal((await decide(MIA, id, 'Denied')).kind, 'decided');
      assert.equal((await house.store.listAudit(id)).at(-1)?.detail, 'Member invitation: not now');
    });

    it('a member approver who asked for the Member invitation is refused it: separation of duties', async () => {
      on();
      const id = (await seedRequest(house, { ...MEMBER_GUEST, requester: MIA, requesterAddress: chatOf(MIA) })).value.id;
      const result = await decide(MIA, id);
      assert.equal(result.kind === 'refused' && result.refusal, 'ownRequest');
      assert.equal((await stored(house, id)).status, 'Pending');
    });

    it('Guest requests: ordinary approvers decide as before, member approvers may too; outsiders still may not', async () => {
      on();
      const first = (await seedRequest(house)).value.id;
      assert.equal((await decide(ANN, first)).kind, 'decided');
      const second = (await seedRequest(house)).value.id;
      assert.equal((await decide(MIA, second)).kind, 'decided');
      const third = (await seedRequest(house)).value.id;
      assert.equal((await decide(OLLI, third)).kind, 'notApprover');
    });

    it('a Member request stored while the feature was on cannot be decided by anyone once it is off (fail closed)', async () => {
      house = memoryWorkflow({ approverIds: [ANN.id, MIA.id] });
      const id = (await seedRequest(house, MEMBER_GUEST)).value.id;
      const result = await decide(MIA, id);
      assert.equal(result.kind === 'refused' && result.refusal, 'memberApproversOnly');
    });
  });

  it('retry of a Failed Member invitation: member approvers only', async () => {
    on();
    const at = house.clock.now().toISOString();
    const id = (
      await seedRequest(house, {
        ...MEMBER_GUEST,
        status: 'Failed',
        decision: { by: MIA, at, outcome: 'Approved' },
        failure: { code: 'Forbidden', message: 'no', at },
        requesterNotifiedAt: at,
      })
    ).value.id;
    const refused = await retryInvitation(house.wf, { requestId: id, actor: ANN });
    assert.equal(refused.kind === 'refused' && refused.problem.code, 'retry.memberApproversOnly');
    assert.equal((await stored(house, id)).status, 'Failed');
    assert.equal((await retryInvitation(house.wf, { requestId: id, actor: MIA })).kind, 'retrying');
  });

  it('approval cards: every approver gets a Member invitation, read-only except for member approvers; a Guest one has buttons for all', async () => {
    on();
    const member = (await seedRequest(house, MEMBER_GUEST, [])).value;
    await routeApprovals(house.wf, member, { justCreated: true });
    const cards = house.notifier.delivered('sendApprovalCard').filter((c) => c.request.id === member.id);
    assert.deepEqual(
      cards.map((c) => [c.person, c.readOnly ?? false]).sort(),
      [
        [ANN.id, true],
        [BEN.id, true],
        [MIA.id, false],
      ].sort(),
    );
    assert.deepEqual(
      (await house.store.listApprovalMessages(member.id))
        .filter((m) => m.readOnly)
        .map((m) => m.approverId)
        .sort(),
      [ANN.id, BEN.id].sort(),
    );

    const guest = (await seedRequest(house, {}, [])).value;
    await routeApprovals(house.wf, guest, { justCreated: true });
    assert.ok(
      house.notifier
        .delivered('sendApprovalCard')
        .filter((c) => c.request.id === guest.id)
        .every((c) => !c.readOnly),
    );
  });

  it("in the approvers' channel, the deciders of a Member invitation are the member approvers", async () => {
    house = memoryWorkflow({ memberApproverIds: [MIA.id], approvalChannelId: '19:approvers@thread.tacv2' });
    const member = (await seedRequest(house, MEMBER_GUEST, [])).value;
    await routeApprovals(house.wf, member, { justCreated: true });
    assert.deepEqual(house.notifier.delivered('postApprovalToChannel')[0]?.deciders, [MIA.id]);
  });

  it('views: an ordinary approver sees a Member invitation without the buttons, a member approver with them', async () => {
    on();
    const id = (await seedRequest(house, MEMBER_GUEST)).value.id;
    const ann = await approvalViewFor(house.wf, id, { person: ANN });
    const mia = await approvalViewFor(house.wf, id, { person: MIA });
    assert.equal(ann.kind === 'view' && ann.mayAct, false);
    assert.equal(mia.kind === 'view' && mia.mayAct, true);
    const pending = await pendingRequests(house.wf, ANN.id);
    assert.equal(pending.kind === 'page' && pending.memberApprover, false);
    const pendingMia = await pendingRequests(house.wf, MIA.id);
    assert.equal(pendingMia.kind === 'page' && pendingMia.memberApprover, true);
  });

  it('rightsOf: the member approver right only for an approver', () => {
    on();
    const request = { id: 'GR-1', requester: RITA } as GuestRequest;
    assert.deepEqual(rightsOf(request, MIA.id, true, true), { requester: false, decide: true, memberApprover: true, view: true });
    assert.deepEqual(rightsOf(request, OLLI.id, false, true), { requester: false, decide: false, memberApprover: false, view: false });
  });

  it('the outbox invites a Member request as Member, a Guest request as Guest', async () => {
    on();
    const at = house.clock.now().toISOString();
    const member = (await seedRequest(house, { ...MEMBER_GUEST, status: 'Approved', decision: { by: MIA, at, outcome: 'Approved' } })).value
      .id;
    const guest = (await seedRequest(house, { status: 'Approved', decision: { by: ANN, at, outcome: 'Approved' } })).value.id;
    await inviteGuest(house.wf, member);
    await inviteGuest(house.wf, guest);
    assert.deepEqual(
      house.directory.invites.map((i) => [i.email, i.userType]),
      [
        ['max@fabrikam.example', 'Member'],
        ['gina@fabrikam.example', 'Guest'],
      ],
    );
  });
});
