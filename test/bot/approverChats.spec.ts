/**
 * Approval cards reuse the 1:1 chat Teams gave the bot with each approver, through the real
 * CloudAdapter and the fake Bot Connector: one connector call per card instead of two, and a chat
 * Teams no longer knows is created again rather than losing the card.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, BotHarness, cardOf, cardText, REQUESTER } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';
import { requestStoreTableNames } from '../../src/adapters/storage/tableRequestStore';
import { RequestLog } from '../adapters/storage/storageTestKit';

const FIELDS = { displayName: 'Gina Guest', justification: 'Works with us on the Q3 launch', sendInvitationMessage: 'false' };

describe('approver chats', () => {
  let bot: BotHarness;

  beforeEach(async () => {
    bot = await BotHarness.start();
  });
  afterEach(async () => {
    await bot?.stop();
  });

  const chatsOpenedWith = (approver: TeamsPerson) =>
    bot.connector.calls.filter(
      (c) =>
        c.operation === 'createConversation' && (c.body.members as Array<{ id: string }> | undefined)?.[0]?.id === approver.aadObjectId,
    );

  function cardReached(approver: TeamsPerson, requestId: string): boolean {
    const chat = bot.connector.conversationWith(approver.aadObjectId);
    return bot.connector.messagesIn(chat).some((c) => cardText(cardOf(c)).includes(requestId));
  }

  it('opens each approver’s chat once and sends later cards straight into it', async () => {
    const first = await bot.submit(REQUESTER, { ...FIELDS, email: uniqueGuestEmail() });
    const second = await bot.submit(REQUESTER, { ...FIELDS, email: uniqueGuestEmail() });
    for (const approver of APPROVERS) {
      assert.equal(chatsOpenedWith(approver).length, 1, `one chat opened with ${approver.name}`);
      assert.ok(cardReached(approver, first.requestId) && cardReached(approver, second.requestId), `${approver.name} has both cards`);
    }
    // Where each card landed is kept, in that same chat, so it can be updated after the decision.
    const messages = await bot.app.workflow.store.listApprovalMessages(second.requestId);
    assert.deepEqual(
      messages.map((m) => m.address.conversationId).sort(),
      APPROVERS.map((a) => bot.connector.conversationWith(a.aadObjectId)).sort(),
    );
  });

  it('opens each approver’s chat once even when several fan-outs reach them at the same moment', async () => {
    const submits = await Promise.all(Array.from({ length: 6 }, () => bot.submit(REQUESTER, { ...FIELDS, email: uniqueGuestEmail() })));
    await bot.idle();
    for (const approver of APPROVERS) {
      assert.equal(chatsOpenedWith(approver).length, 1, `one chat opened with ${approver.name}, not one per fan-out`);
      for (const { requestId } of submits) assert.ok(cardReached(approver, requestId), `${approver.name} has the card of ${requestId}`);
    }
  });

  it('opens the chat again when Teams no longer knows the remembered one', async () => {
    await bot.submit(REQUESTER, { ...FIELDS, email: uniqueGuestEmail() });
    // The next card into a remembered chat is refused as not found (say, the bot was reinstalled).
    bot.connector.scriptFaults([{ operation: 'replyToActivity', status: 404 }]);
    const { requestId } = await bot.submit(REQUESTER, { ...FIELDS, email: uniqueGuestEmail() });
    const reopened = APPROVERS.filter((a) => chatsOpenedWith(a).length === 2);
    assert.equal(reopened.length, 1, 'exactly the refused approver’s chat was opened again');
    for (const approver of APPROVERS) assert.ok(cardReached(approver, requestId), `${approver.name} has the card`);
    assert.equal((await bot.app.workflow.store.listApprovalMessages(requestId)).length, APPROVERS.length);
  });

  it('a card is not sent the same content twice (two refreshes of one version, as when a decision races the fan-out)', async () => {
    const { requestId } = await bot.submit(REQUESTER, { ...FIELDS, email: uniqueGuestEmail() });
    const [message] = await bot.app.workflow.store.listApprovalMessages(requestId);
    const updatesOf = () => bot.connector.calls.filter((c) => c.operation === 'updateActivity' && c.activityId === message!.activityId);
    const { notifier, store } = bot.app.workflow;
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    await bot.idle();
    // The card shows "Approved by …" (not redrawn for the invitation): draw the stored version once.
    await notifier.updateApprovalCard(message!, (await store.get(requestId))!.value);
    const before = updatesOf().length;

    // Two separate reads of the same stored version, refreshed at once and then again.
    const [a, b] = await Promise.all([store.get(requestId), store.get(requestId)]);
    await Promise.all([notifier.updateApprovalCard(message!, a!.value), notifier.updateApprovalCard(message!, b!.value)]);
    await notifier.updateApprovalCard(message!, b!.value);
    assert.equal(updatesOf().length, before, 'the card already showed this version: nothing sent');

    // A version that draws differently is sent, once.
    const changed = { ...a!.value, status: 'Failed' as const, failure: { code: 'X', message: 'scripted', at: new Date().toISOString() } };
    await Promise.all([notifier.updateApprovalCard(message!, changed), notifier.updateApprovalCard(message!, { ...changed })]);
    assert.equal(updatesOf().length, before + 1);
    assert.match(cardText(cardOf(updatesOf().pop()!)), /scripted/);
  });

  it('a new request’s fan-out does not look for cards it cannot have yet', async () => {
    const log = new RequestLog();
    const counted = await BotHarness.start({
      overrides: { storageClientOptions: { additionalPolicies: [{ policy: log.policy, position: 'perCall' }] } },
    });
    try {
      await counted.idle();
      log.clear();
      const { requestId } = await counted.submit(REQUESTER, { ...FIELDS, email: uniqueGuestEmail() });
      const { requests } = requestStoreTableNames(counted.tablePrefix);
      const cards = await counted.app.workflow.store.listApprovalMessages(requestId);
      assert.equal(cards.length, APPROVERS.length, 'every approver has the card');
      // The cards live in the request's partition and are stored in one transaction ($batch), not one by one.
      assert.equal(log.count({ table: requests, method: 'PUT' }), 0, 'no card written on its own');
      assert.equal(log.count({ table: requests, method: 'GET' }), 1, 'read once: by this test, not by the fan-out');
    } finally {
      await counted.stop();
    }
  });
});
