/**
 * APPROVAL_CHANNEL_ID: the approval card goes to a Teams channel instead of 1:1 chats. Everyone in
 * the channel sees a read-only card that stays up to date; approvers get their own view with the
 * buttons through Universal Actions `refresh` (userIds).
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, BotHarness, useBotHarness, cardOf, cardText, OUTSIDER, REQUESTER, requestIdIn } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import { inChannel } from '../support/teamActivities';
import { cardActionActivity, userId } from '../support/teamsActivities';

const CHANNEL = '19:approvers0000000000000000000000@thread.tacv2';

describe('approvals in a channel', () => {
  // The team's roster: how the bot learns the approvers' Teams ids (refresh.userIds takes those).
  const bot = useBotHarness({ env: { APPROVAL_CHANNEL_ID: CHANNEL } }, (started) =>
    started.connector.setRoster(
      CHANNEL,
      [...APPROVERS, OUTSIDER].map((p) => ({ id: userId(p), aadObjectId: p.aadObjectId.toUpperCase(), name: p.name })),
    ),
  );

  it('posts one read-only card to the channel, with a refresh for the approvers, and no 1:1 cards', async () => {
    const before = bot.connector.calls.length;
    const answer = await bot.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Channel flow' });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    const created = bot.connector.calls.slice(before).filter((c) => c.operation === 'createConversation');
    assert.equal(created.length, 1, 'one post, no 1:1 chats');
    assert.equal((created[0]!.body.channelData as any).channel.id, CHANNEL);
    const card = (created[0]!.body.activity as any).attachments[0].content;
    assert.ok(cardText(card).includes(requestId));
    assert.ok(!JSON.stringify(card).includes('"verb":"approve"'), 'no buttons for everyone');
    assert.equal(card.refresh.action.verb, 'refreshApproval');
    // Teams user ids (MRIs, "29:…") from the team's roster, not the object ids of APPROVER_IDS.
    assert.deepEqual([...card.refresh.userIds].sort(), APPROVERS.map(userId).sort());
    assert.ok(card.refresh.userIds.every((id: string) => id.startsWith('29:')));
  });

  it("an approver who is not in the channel's team gets no buttons, and the log names them", async () => {
    const roster = [APPROVERS[0]!, OUTSIDER].map((p) => ({ id: userId(p), aadObjectId: p.aadObjectId, name: p.name }));
    const other = await BotHarness.start({ env: { APPROVAL_CHANNEL_ID: CHANNEL } });
    try {
      other.connector.setRoster(CHANNEL, roster);
      await other.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Channel flow' });
      await other.idle();
      const post = other.connector.calls.find((c) => c.operation === 'createConversation');
      const card = (post!.body.activity as any).attachments[0].content;
      assert.deepEqual(card.refresh.userIds, [userId(APPROVERS[0]!)]);
      const lines = other.logLines.filter((l) => l.includes('not a member of the team of the approvers'));
      assert.equal(lines.length, 1);
      assert.ok(lines[0]!.includes(APPROVERS[1]!.aadObjectId) && JSON.parse(lines[0]!).level === 50);
      assert.ok(
        other.connector.calls.some((c) => c.operation === 'getMembers' && c.conversationId === CHANNEL),
        'read from the roster',
      );
    } finally {
      await other.stop();
    }
  });

  it("an approver's refresh shows the buttons; anyone else's shows the read-only card", async () => {
    const requestId = requestIdIn(
      cardOf(await bot.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Channel flow' })),
    );
    await bot.idle();
    const mine = await bot.invoke(APPROVERS[0]!, 'refreshApproval', { requestId });
    assert.match(JSON.stringify(cardOf(mine)), /"verb":"approve"/);
    // Teams sends the refresh from the channel, where every member already sees the read-only card.
    const theirs = await bot.post(inChannel(cardActionActivity(OUTSIDER, bot.connector.url, 'refreshApproval', { requestId }), CHANNEL));
    assert.ok(cardText(cardOf(theirs)).includes(requestId), 'a channel member gets the read-only card');
    assert.doesNotMatch(JSON.stringify(cardOf(theirs)), /"verb":"approve"/);
    // From anywhere else, someone who is neither requester nor approver learns nothing.
    const elsewhere = await bot.invoke(OUTSIDER, 'refreshApproval', { requestId });
    assert.equal(elsewhere.body.value, `There is no request ${requestId}.`);
    const requesters = await bot.invoke(REQUESTER, 'refreshApproval', { requestId });
    assert.doesNotMatch(JSON.stringify(cardOf(requesters)), /"verb":"approve"/, 'the requester gets no buttons on their own request');
  });

  it('approving updates the channel card for everyone and invites once', async () => {
    const email = uniqueGuestEmail();
    const requestId = requestIdIn(cardOf(await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Channel flow' })));
    await bot.idle();
    const [post] = await bot.app.workflow.store.listApprovalMessages(requestId);
    assert.equal(post!.channelId, CHANNEL);
    await bot.invoke(APPROVERS[1]!, 'approve', { requestId });
    await bot.idle();
    const update = bot.connector.calls.filter((c) => c.operation === 'updateActivity' && c.activityId === post!.activityId).pop();
    assert.ok(update, 'the channel card was updated');
    assert.match(cardText(cardOf(update)), /Approved by Ben Approver/);
    assert.equal((await invitationsFor(email)).length, 1);
  });
});
