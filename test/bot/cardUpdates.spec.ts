/**
 * Each card is updated when what it shows changes, not at every step (docs/protocol.md §3), on a
 * flow as Teams sends it: the submit names the form's message (replyToId) and carries the form's
 * token, the approve names the approval card's message. Through /api/messages with the real
 * adapter, Azurite, the Graph sandbox and the fake connector, counting connector calls by kind.
 */
import { strict as assert } from 'node:assert';
import type { ConnectorCall } from '../../tools/fakeConnector';
import { APPROVERS, useBotWithOwnGraph, cardOf, cardText, chatsWith, OUTSIDER, REQUESTER, requestIdIn } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { cardActionActivity, messageActivity, type TeamsPerson } from '../support/teamsActivities';

const [ANNA, BEN] = APPROVERS as [TeamsPerson, TeamsPerson];
const REDEEM = 'login.microsoftonline.com/redeem';

describe('card updates: once each, when they must change (bot over /api/messages)', function () {
  this.timeout(30_000);
  const { bot, graph } = useBotWithOwnGraph();

  const stored = async (id: string) => (await bot.app.workflow.store.get(id))!.value;

  /** "request" typed, the form submitted as Teams does; resolves once the approval cards are out. */
  const submitAsTeams = async () => {
    const said = messageActivity(REQUESTER, bot.connector.url, 'request');
    assert.equal((await bot.post(said)).status, 200);
    const form = bot.connector.calls.find((c) => c.operation === 'replyToActivity' && c.activityId === said.id)!;
    const submissionId = /"submissionId":"([^"]+)"/.exec(JSON.stringify(form.body))?.[1];
    assert.ok(submissionId, 'the form carries its one-time token');
    const answer = await bot.post({
      ...cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', {
        email: uniqueGuestEmail(),
        justification: 'Launch partner',
        sendInvitationMessage: 'false',
        submissionId,
      }),
      replyToId: form.resultId,
    });
    assert.equal(answer.status, 200);
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    assert.equal((await stored(requestId)).requesterCardId, form.resultId);
    const cardOfApprover = (person: TeamsPerson) =>
      chatsWith(bot.connector, person)
        .flatMap((chat) => bot.connector.messagesIn(chat))
        .find((c) => JSON.stringify(c.body).includes('"verb":"approve"') && JSON.stringify(c.body).includes(requestId))!;
    return { requestId, formMessage: form.resultId, anna: cardOfApprover(ANNA), ben: cardOfApprover(BEN) };
  };

  /** Approve (or deny) clicked on the approver's own card: replyToId = that card's message. */
  const clickOn = (person: TeamsPerson, card: ConnectorCall, verb: string, data: Record<string, unknown>) =>
    bot.post({ ...cardActionActivity(person, bot.connector.url, verb, data), replyToId: card.resultId });

  const updatesOf = (calls: readonly ConnectorCall[], messageId: string) =>
    calls.filter((c) => c.operation === 'updateActivity' && c.activityId === messageId);

  it("approve: the decider's card is the answer, the other approver's updated once, the requester's once to Invited; the link once", async () => {
    const { requestId, formMessage, anna, ben } = await submitAsTeams();
    assert.ok(anna && ben, 'both approvers got a card');
    // Every 1:1 approval card carries a refresh for its approver alone.
    for (const [card, person] of [
      [anna, ANNA],
      [ben, BEN],
    ] as const) {
      const refresh = cardOf(card).refresh;
      assert.equal(refresh?.action?.verb, 'refreshApproval');
      assert.deepEqual(refresh?.action?.data, { requestId });
      assert.equal(refresh?.userIds?.length, 1);
      assert.match(String(refresh.userIds[0]), new RegExp(person.aadObjectId, 'i'));
    }

    const before = bot.connector.calls.length;
    const answer = await clickOn(ANNA, anna, 'approve', { requestId });
    assert.equal(answer.status, 200);
    const answered = cardOf(answer);
    assert.match(cardText(answered), /Approved by Anna/);
    assert.doesNotMatch(cardText(answered), /creating the invitation/, 'the answer stays true once the invitation is made');
    assert.deepEqual(answered.refresh?.userIds, [`29:${ANNA.aadObjectId}`], 'the answer keeps the refresh for the decider');
    await bot.idle();
    assert.equal((await stored(requestId)).status, 'Invited');

    const after = bot.connector.calls.slice(before);
    assert.equal(after.length, 3, "the link, Ben's card, Rita's card: nothing else");
    assert.equal(after.filter((c) => c.operation === 'updateActivity').length, 2);
    assert.equal(updatesOf(after, anna.resultId).length, 0, "the decider's card is not updated through the connector");
    const benUpdates = updatesOf(after, ben.resultId);
    assert.equal(benUpdates.length, 1, "the other approver's card: once, at the decision");
    assert.match(cardText(cardOf(benUpdates[0]!)), /Approved by Anna/);
    assert.doesNotMatch(cardText(cardOf(benUpdates[0]!)), /creating the invitation/);
    assert.equal(cardOf(benUpdates[0]!).refresh?.action?.verb, 'refreshApproval', 'it still refreshes: Invited when viewed');
    const ritaUpdates = updatesOf(after, formMessage);
    assert.equal(ritaUpdates.length, 1, "the requester's card: once");
    assert.match(cardText(cardOf(ritaUpdates[0]!)), /invited/i);
    assert.doesNotMatch(cardText(cardOf(ritaUpdates[0]!)), /creating the invitation/);
    const links = after.filter((c) => c.operation !== 'updateActivity' && JSON.stringify(c.body).includes(REDEEM));
    assert.equal(links.length, 1, 'one link message');
    // The link went out before the requester's card turned Invited (the card points to it).
    assert.ok(after.indexOf(links[0]!) < after.indexOf(ritaUpdates[0]!));

    // Viewed later: Ben's card refreshes to the current state (Invited), for him; a stranger learns nothing.
    const refreshed = cardOf(await bot.invoke(BEN, 'refreshApproval', { requestId }));
    assert.match(cardText(refreshed), /Invitation created/);
    assert.equal(refreshed.refresh, undefined, 'settled: no more refreshes');
    const stranger = await bot.invoke(OUTSIDER, 'refreshApproval', { requestId });
    assert.equal(stranger.body?.value, `There is no request ${requestId}.`);
  });

  it("a refresh of an approver's card while Approved keeps its refresh for them alone", async () => {
    const { requestId, anna } = await submitAsTeams();
    graph.state.scriptFaults([{ status: 503, retryAfterSeconds: 120 }]);
    await clickOn(ANNA, anna, 'approve', { requestId });
    await bot.idle();
    assert.equal((await stored(requestId)).status, 'Approved');
    const refreshed = cardOf(await bot.invoke(BEN, 'refreshApproval', { requestId }));
    assert.match(cardText(refreshed), /Approved by Anna/);
    assert.deepEqual(refreshed.refresh?.userIds, [`29:${BEN.aadObjectId}`]);
    await bot.app.sweep();
    await bot.idle();
  });

  it('Graph down at the decision: the requester\'s card shows "creating the invitation…" at once, then Invited when the sweep finishes', async () => {
    const { requestId, formMessage, anna, ben } = await submitAsTeams();
    // Graph asks to come back after the retry budget: the invitation step does not finish now.
    graph.state.scriptFaults([{ status: 503, retryAfterSeconds: 120 }]);
    const before = bot.connector.calls.length;
    await clickOn(ANNA, anna, 'approve', { requestId });
    await bot.idle();
    assert.equal((await stored(requestId)).status, 'Approved');
    let ritaUpdates = updatesOf(bot.connector.calls.slice(before), formMessage);
    assert.equal(ritaUpdates.length, 1, 'the intermediate state, at once');
    assert.match(cardText(cardOf(ritaUpdates[0]!)), /creating the invitation/);

    await bot.app.sweep();
    await bot.idle();
    assert.equal((await stored(requestId)).status, 'Invited');
    const after = bot.connector.calls.slice(before);
    ritaUpdates = updatesOf(after, formMessage);
    assert.equal(ritaUpdates.length, 2, 'then the final state');
    assert.match(cardText(cardOf(ritaUpdates[1]!)), /invited/i);
    assert.equal(updatesOf(after, anna.resultId).length, 0, "the decider's card: the answer");
    assert.equal(updatesOf(after, ben.resultId).length, 1, "the other's: once, at the decision");
  });

  it("deny: the decider's card is the answer; the other approver's and the requester's are updated once", async () => {
    const { requestId, formMessage, anna, ben } = await submitAsTeams();
    const before = bot.connector.calls.length;
    const answer = await clickOn(BEN, ben, 'deny', { requestId, reason: 'Not this quarter' });
    assert.match(cardText(cardOf(answer)), /Denied by Ben/);
    await bot.idle();
    const after = bot.connector.calls.slice(before);
    assert.equal(updatesOf(after, ben.resultId).length, 0);
    assert.equal(updatesOf(after, anna.resultId).length, 1);
    assert.equal(updatesOf(after, formMessage).length, 1);
    assert.match(cardText(cardOf(updatesOf(after, formMessage)[0]!)), /Not this quarter/);
  });

  it("an approve without replyToId (or naming another message) updates the decider's card through the connector as well", async () => {
    const { requestId, anna, ben } = await submitAsTeams();
    const before = bot.connector.calls.length;
    await clickOn(ANNA, ben, 'approve', { requestId });
    await bot.idle();
    const after = bot.connector.calls.slice(before);
    assert.equal(updatesOf(after, anna.resultId).length, 1, "not Anna's card that was answered: it is updated");
    assert.equal(updatesOf(after, ben.resultId).length, 1, "Ben's card is not Anna's: updated all the same");
  });
});
