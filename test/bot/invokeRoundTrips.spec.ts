/**
 * What an invoke waits for in storage (README, Performance): a submit makes its writes without a
 * read first (the person's limits are read while the form is open), and an approve that crosses
 * its request's fan-out (the click lands while the approval cards are being stored) is written
 * once, without racing that save and without reading again, and still updates every approver's
 * card. Through /api/messages with the real adapter, Azurite and the fake connector, counting every
 * storage request.
 */
import { strict as assert } from 'node:assert';
import { requestStoreTableNames } from '../../src/adapters/storage/tableRequestStore';
import { CardSaveHold, RequestLog } from '../adapters/storage/storageTestKit';
import { APPROVERS, BotHarness, cardOf, cardText, REQUESTER, requestIdIn } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { messageActivity } from '../support/teamsActivities';

const FIELDS = { displayName: 'Gina Guest', justification: 'Works with us on the Q3 launch', sendInvitationMessage: 'false' };

describe('invoke round trips: what a click waits for in storage (bot over /api/messages)', function () {
  this.timeout(30_000);
  const log = new RequestLog();
  const hold = new CardSaveHold();
  let bot: BotHarness;

  beforeEach(async () => {
    bot = await BotHarness.start({
      env: { MAX_PENDING_PER_REQUESTER: '5', MAX_REQUESTS_PER_DAY: '50' },
      overrides: {
        storageClientOptions: {
          additionalPolicies: [
            { policy: log.policy, position: 'perCall' },
            { policy: hold.policy, position: 'perCall' },
          ],
        },
      },
    });
    await bot.idle();
    log.clear();
  });
  afterEach(async () => {
    hold.disarm();
    await bot.stop();
  });

  it("typing `request` reads the person's limits while they fill in the form: the submit only writes", async () => {
    const { index } = requestStoreTableNames(bot.tablePrefix);
    assert.equal((await bot.post(messageActivity(REQUESTER, bot.connector.url, 'request'))).status, 200);
    await bot.idle();
    assert.equal(log.count({ table: index, method: 'GET' }), 1, 'read ahead, while the form is open');
    log.clear();
    const answer = await bot.invoke(REQUESTER, 'submitRequest', { ...FIELDS, email: uniqueGuestEmail() });
    assert.equal(answer.status, 200);
    assert.match(cardText(cardOf(answer)), /Pending approval/);
    await bot.idle();
    assert.equal(log.count({ table: index, method: 'GET' }), 0, 'the submit read nothing of the limits');
  });

  it('an approve that crosses the fan-out is written once, without a read, and every approver’s card shows the decision', async () => {
    const { requests } = requestStoreTableNames(bot.tablePrefix);
    const { committed: saved, release } = hold.arm();
    const submitted = await bot.invoke(REQUESTER, 'submitRequest', { ...FIELDS, email: uniqueGuestEmail() });
    const requestId = requestIdIn(cardOf(submitted));
    // The cards are in the approvers' chats and stored, but the bot has not heard back from storage yet.
    await saved;
    log.clear();
    const [ANNA] = APPROVERS;
    const approving = bot.invoke(ANNA!, 'approve', { requestId });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentMeanwhile = log.seen.filter((r) => r.table === requests || r.method === 'POST').length;
    release();
    const answer = await approving;
    const duringClick = log.seen.slice();
    assert.equal(answer.status, 200);
    assert.match(cardText(cardOf(answer)), /Approved by Anna/);
    assert.equal(sentMeanwhile, 0, 'the decision waited for the save instead of racing it');
    assert.equal(duringClick.filter((r) => r.table === requests && r.method === 'GET').length, 0, 'no read of the request');
    assert.equal(duringClick.filter((r) => r.method === 'POST').length, 1, 'one write: the decision');
    await bot.idle();
    // The decision knew every card, the one stored as it was clicked included: each approver's is updated.
    const updated = new Set(bot.connector.calls.filter((c) => c.operation === 'updateActivity').map((c) => c.activityId));
    const cards = await bot.app.workflow.store.listApprovalMessages(requestId);
    assert.equal(cards.length, APPROVERS.length);
    for (const card of cards.filter((c) => c.approverId !== ANNA!.aadObjectId)) assert.ok(updated.has(card.activityId), card.approverId);
  });
});
