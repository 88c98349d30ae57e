/**
 * Reaching approvers, on memory adapters: nobody reachable (refused for good) tells the requester
 * once and leaves the request Pending; an installation under way is not "unreachable"; a person's
 * installation sends the cards Pending requests still miss; their chat is stored, refreshed and
 * forgotten as Teams announces it.
 */
import { strict as assert } from 'node:assert';
import { routeApprovals } from '../../../../src/domain/usecases/approval/routeApprovals';
import { deliverAwaiting, recordPersonalChat } from '../../../../src/domain/usecases/personalChats';
import { ANN, BEN, chatOf, memoryWorkflow, RITA, seedRequest, stored, type MemoryHouse } from '../../../support/memory/memoryWorkflow';

describe('reaching approvers', () => {
  let house: MemoryHouse;
  beforeEach(() => {
    house = memoryWorkflow();
  });

  it('nobody reachable: the requester is told once, the request stays Pending, one error line per approver naming the reason', async () => {
    house.notifier.failPermanently({ method: 'sendApprovalCard' }, 403);
    const { value } = await seedRequest(house, {}, []);
    await routeApprovals(house.wf, value);
    await routeApprovals(house.wf, await stored(house, value.id));
    assert.equal(house.notifier.delivered('notifyApproversUnreachable', RITA.id).length, 1, 'told once, however often routing runs');
    const request = await stored(house, value.id);
    assert.equal(request.status, 'Pending');
    assert.ok(request.approversUnreachableToldAt);
    const lines = house.log.find('error', 'approver cannot be reached in Teams');
    assert.equal(lines.length, 4, 'one per approver and attempt');
    assert.deepEqual(
      lines
        .slice(0, 2)
        .map((l) => (l.fields as { approverId: string }).approverId)
        .sort(),
      [ANN.id, BEN.id].sort(),
    );
    assert.ok(lines.every((l) => /refused/.test((l.fields as { reason: string }).reason)));
    assert.ok(!house.log.dump().includes(value.guest.email), 'never the guest');
  });

  it('one approver reachable, or one awaiting an installation: the requester is not told', async () => {
    house.notifier.failPermanently({ method: 'sendApprovalCard', person: ANN.id }, 403);
    house.notifier.awaitInstallation({ method: 'sendApprovalCard', person: BEN.id });
    const { value } = await seedRequest(house, {}, []);
    await routeApprovals(house.wf, value);
    assert.equal(house.notifier.callsOf('notifyApproversUnreachable').length, 0);
    assert.equal(house.log.find('error', 'approver cannot be reached in Teams').length, 1);
    assert.equal(house.log.find('info', 'app installed for the approver').length, 1);
  });

  it('an installation stores the chat and sends the cards that waited for it; uninstall forgets it', async () => {
    house.notifier.awaitInstallation({ method: 'sendApprovalCard', person: ANN.id, times: 1 });
    const { value } = await seedRequest(house, {}, []);
    await routeApprovals(house.wf, value);
    assert.equal(house.notifier.delivered('sendApprovalCard', ANN.id).length, 0);
    assert.equal(await recordPersonalChat(house.wf, { kind: 'installed', userId: ANN.id, address: chatOf(ANN) }), true);
    assert.deepEqual(await house.chats.get(ANN.id.toUpperCase()), chatOf(ANN));
    assert.equal(await deliverAwaiting(house.wf), 1);
    assert.equal(house.notifier.delivered('sendApprovalCard', ANN.id).length, 1);
    assert.equal(house.notifier.delivered('sendApprovalCard', BEN.id).length, 1, "Ben's card is not sent twice");
    assert.equal(await recordPersonalChat(house.wf, { kind: 'seen', userId: ANN.id, address: chatOf(ANN) }), false);
    assert.equal(house.chats.writes, 1, 'a refresh that changes nothing writes nothing');
    await recordPersonalChat(house.wf, { kind: 'uninstalled', userId: ANN.id });
    assert.equal(await house.chats.get(ANN.id), undefined);
  });
});
