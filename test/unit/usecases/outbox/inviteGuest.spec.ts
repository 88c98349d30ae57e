/**
 * inviteGuest (the outbox step) on memory adapters: Graph's answer recorded, the requester told,
 * then Invited / Failed; a transient failure leaves the request in the outbox; one caller at a time.
 */
import { strict as assert } from 'node:assert';
import { inviteGuest, INVITE_LEASE_MS } from '../../../../src/domain/usecases/outbox/inviteGuest';
import type { GuestRequest } from '../../../../src/domain/guestRequest';
import {
  ANN,
  memoryWorkflow,
  REDIRECT_URL,
  RITA,
  seedRequest,
  stored,
  trail,
  type MemoryHouse,
} from '../../../support/memory/memoryWorkflow';
import { permanentRefusal, transientFailure } from '../../../support/memory/scriptedDirectory';

const EMAIL = 'gina@fabrikam.example';

describe('inviteGuest', () => {
  let house: MemoryHouse;
  let id: string;

  /** An Approved request as decideRequest leaves it (decided by Ann), with both approvers' cards. */
  const approved = async (overrides: Partial<GuestRequest> = {}) => {
    const at = house.clock.now().toISOString();
    return (await seedRequest(house, { status: 'Approved', decision: { by: ANN, at, outcome: 'Approved' }, ...overrides })).value.id;
  };

  beforeEach(async () => {
    house = memoryWorkflow();
    id = await approved({
      requesterLocale: 'de-DE',
      guest: { email: EMAIL, displayName: 'Gina', message: 'Hallo', sendInvitationMessage: true },
    });
  });

  it('created: records the invitation, tells the requester, then moves to Invited; no approval card is updated (they say "Approved by …" since the decision)', async () => {
    assert.equal(await inviteGuest(house.wf, id), 'invited');
    assert.deepEqual(house.directory.invites, [
      {
        email: EMAIL,
        displayName: 'Gina',
        redirectUrl: REDIRECT_URL,
        sendInvitationMessage: true,
        customizedMessageBody: 'Hallo',
        messageLanguage: 'de-DE',
        ccEmail: undefined,
        sponsorId: RITA.id,
        userType: 'Guest',
      },
    ]);
    const request = await stored(house, id);
    assert.equal(request.status, 'Invited');
    assert.equal(request.invitation?.invitedUserId, 'guest-user-1');
    assert.equal(request.invitation?.redeemUrl, 'https://invitations.example/redeem?n=1');
    assert.equal(request.requesterNotifiedAt, house.clock.now().toISOString());
    // The requester hears of it with the link, before the status changes.
    const told = house.notifier.delivered('notifyRequester', RITA.id);
    assert.equal(told.length, 1);
    assert.equal(told[0]?.request.status, 'Invited');
    assert.equal(told[0]?.request.invitation?.redeemUrl, request.invitation?.redeemUrl);
    assert.deepEqual(house.notifier.callsOf('updateApprovalCard'), []);
    assert.deepEqual(house.notifier.callsOf('notifyApprover'), []);
    const entry = (await house.store.listAudit(id)).at(-1);
    assert.deepEqual(entry && [entry.action, entry.actor.id, entry.from, entry.to], ['status:Invited', 'system', 'Approved', 'Invited']);
    assert.equal(house.leases.holder(`invite-${id}`), undefined, 'the lease is given back');
  });

  it('permanent refusal: Failed with the code, the requester and the deciding approver told', async () => {
    house.directory.answerInvite(EMAIL, permanentRefusal('InvalidEmail', 400, 'The address is not valid'));
    assert.equal(await inviteGuest(house.wf, id), 'failed');
    const request = await stored(house, id);
    assert.equal(request.status, 'Failed');
    assert.deepEqual(request.failure, { code: 'InvalidEmail', message: 'The address is not valid', at: house.clock.now().toISOString() });
    assert.equal(request.invitation, undefined);
    assert.equal(house.notifier.delivered('notifyRequester', RITA.id)[0]?.request.status, 'Failed');
    const deciderNote = house.notifier.delivered('notifyApprover');
    assert.deepEqual(
      deciderNote.map((c) => c.person),
      [ANN.id],
      'only the approver who decided',
    );
    assert.equal(deciderNote[0]?.message?.activityId, `seeded-card-${ANN.id}`);
    const entry = (await house.store.listAudit(id)).at(-1);
    assert.deepEqual(entry && [entry.action, entry.detail], ['status:Failed', 'InvalidEmail']);
  });

  it('transient failure: stays Approved with nothing recorded, nobody told; a later run invites', async () => {
    house.directory.answerInvite(EMAIL, transientFailure(), { redeemUrl: 'https://r/1', invitedUserId: 'g1', status: 'PendingAcceptance' });
    assert.equal(await inviteGuest(house.wf, id), 'retryLater');
    const request = await stored(house, id);
    assert.equal(request.status, 'Approved');
    assert.equal(request.invitation, undefined);
    assert.equal(request.failure, undefined);
    assert.deepEqual(house.notifier.calls, []);
    assert.deepEqual(await trail(house, id), ['submitted']);
    assert.equal(house.log.find('warn', 'will retry').length, 1);

    assert.equal(await inviteGuest(house.wf, id), 'invited');
    assert.equal((await stored(house, id)).invitation?.invitedUserId, 'g1');
    assert.equal(house.directory.invites.length, 2);
  });

  it('lease busy: another holder is inviting, so this caller does nothing', async () => {
    assert.equal(await house.leases.tryAcquire(`invite-${id}`, 'other-instance/x', INVITE_LEASE_MS), true);
    assert.equal(await inviteGuest(house.wf, id), 'busy');
    assert.deepEqual(house.directory.invites, []);
    assert.equal((await stored(house, id)).status, 'Approved');
    // Once the other holder's lease has run out, the step runs.
    house.clock.advance(INVITE_LEASE_MS);
    assert.equal(await inviteGuest(house.wf, id), 'invited');
  });

  it('two callers at once (the post-decision step and a sweep) create one invitation', async () => {
    const results = await Promise.all([inviteGuest(house.wf, id), inviteGuest(house.wf, id)]);
    assert.deepEqual([...results].sort(), ['busy', 'invited']);
    assert.equal(house.directory.invites.length, 1);
    assert.equal(house.notifier.delivered('notifyRequester').length, 1);
  });

  it('requester not reached: the invitation is kept and the next run tells them without calling Graph again', async () => {
    house.notifier.failTransiently({ method: 'notifyRequester', times: 1 });
    assert.equal(await inviteGuest(house.wf, id), 'retryLater');
    const kept = await stored(house, id);
    assert.equal(kept.status, 'Approved');
    assert.ok(kept.invitation, 'Graph’s answer is recorded');
    assert.equal(await inviteGuest(house.wf, id), 'invited');
    assert.equal(house.directory.invites.length, 1, 'Graph is called once');
    assert.equal(house.notifier.delivered('notifyRequester').length, 1);
  });

  it('requester unreachable for good: Invited all the same, with the refusal recorded', async () => {
    house.notifier.failPermanently({ method: 'notifyRequester' }, 403);
    assert.equal(await inviteGuest(house.wf, id), 'invited');
    const request = await stored(house, id);
    assert.deepEqual(request.requesterUnreachable, { at: house.clock.now().toISOString(), status: 403 });
    assert.equal(request.requesterNotifiedAt, undefined);
  });

  it('a guest who already accepted gets no new invitation: Invited without calling Graph', async () => {
    const accepted = await approved({
      existingAccount: { checkedAt: house.clock.now().toISOString(), kind: 'guestAccepted', userId: 'guest-42' },
    });
    assert.equal(await inviteGuest(house.wf, accepted), 'invited');
    assert.deepEqual(house.directory.invites, []);
    assert.equal((await stored(house, accepted)).invitation?.invitedUserId, 'guest-42');
  });

  it('does nothing for a request that is not Approved, or unknown', async () => {
    const pending = (await seedRequest(house)).value.id;
    assert.equal(await inviteGuest(house.wf, pending), 'nothingToDo');
    assert.equal(await inviteGuest(house.wf, 'GR-NOPE'), 'nothingToDo');
    assert.deepEqual(house.directory.invites, []);
  });
});
