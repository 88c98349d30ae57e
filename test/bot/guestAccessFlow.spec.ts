/**
 * The whole flow through the real CloudAdapter over HTTP: Teams-shaped activities in, the fake Bot
 * Connector recording what the bot sends out, Azurite for storage and the Graph sandbox over HTTP.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, cardOf, cardText, OUTSIDER, REQUESTER, requestIdIn, useBotHarness } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import { installActivity, type TeamsPerson } from '../support/teamsActivities';

const [ANNA, BEN] = APPROVERS as [TeamsPerson, TeamsPerson];

describe('guest access flow (bot over /api/messages)', () => {
  const bot = useBotHarness();

  async function submit(requester: TeamsPerson, fields: Record<string, unknown>) {
    const answer = await bot.invoke(requester, 'submitRequest', fields);
    assert.equal(answer.status, 200);
    return answer;
  }

  async function submitValid(requester: TeamsPerson = REQUESTER, email = uniqueGuestEmail()) {
    const { answer, requestId } = await bot.submit(requester, {
      email,
      displayName: 'Gina Guest',
      justification: 'Works with us on the Q3 launch',
      message: 'Welcome aboard!',
      sendInvitationMessage: 'false',
    });
    return { requestId, email, answer };
  }

  it('answers "request" with the request form', async () => {
    const { status, replies } = await bot.say(REQUESTER, '  Request ');
    assert.equal(status, 200);
    assert.equal(replies.length, 1);
    const card = cardOf(replies[0]!);
    assert.equal(card.version, '1.5');
    const ids = JSON.stringify(card);
    for (const id of ['"email"', '"displayName"', '"justification"', '"message"', '"sendInvitationMessage"'])
      assert.ok(ids.includes(`"id":${id}`), `form has input ${id}`);
    assert.match(ids, /"verb":"submitRequest"/);
    assert.match(ids, /"fallback":"Action.Submit"/);
  });

  it('stores a valid request as Pending, shows its id and sends every approver an approval card', async () => {
    const { requestId, answer } = await submitValid();
    assert.equal(answer.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(cardOf(answer)), /Pending approval/);

    const stored = await bot.app.workflow.store.get(requestId);
    assert.equal(stored?.value.status, 'Pending');
    assert.equal(stored?.value.requester.id, REQUESTER.aadObjectId);

    for (const approver of APPROVERS) {
      const created = bot.connector.calls.find(
        (c) => c.operation === 'createConversation' && (c.body.members as Array<{ id: string }>)[0]?.id === approver.aadObjectId,
      );
      assert.ok(created, `a chat was opened with ${approver.name}`);
      const sent = bot.connector.messagesIn(created.conversationId).find((c) => cardText(cardOf(c)).includes(requestId));
      assert.ok(sent, `${approver.name} received the approval card`);
      assert.match(JSON.stringify(cardOf(sent)), /"verb":"approve"/);
    }
    const messages = await bot.app.workflow.store.listApprovalMessages(requestId);
    assert.equal(messages.length, APPROVERS.length);
  });

  it('approve: invites through Graph, updates every approval card and posts the redeem link to the requester', async () => {
    const { requestId, email } = await submitValid();
    const before = bot.connector.calls.length;
    const answer = await bot.invoke(ANNA, 'approve', { requestId });
    assert.equal(answer.status, 200);
    assert.match(cardText(cardOf(answer)), /Approved by Anna Approver/);
    await bot.idle();

    const calls = await invitationsFor(email);
    assert.equal(calls.length, 1, 'exactly one invitation');
    assert.deepEqual(calls[0]!.body, {
      invitedUserEmailAddress: email,
      invitedUserDisplayName: 'Gina Guest',
      inviteRedirectUrl: 'https://myapps.microsoft.com',
      sendInvitationMessage: false,
      invitedUserMessageInfo: { customizedMessageBody: 'Welcome aboard!' },
      invitedUserType: 'Guest',
      invitedUserSponsors: [{ id: REQUESTER.aadObjectId }],
    });

    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Invited');
    assert.ok(stored.invitation?.invitedUserId);

    const after = bot.connector.calls.slice(before);
    const updates = after.filter((c) => c.operation === 'updateActivity' && cardText(cardOf(c)).includes(requestId));
    const messages = await bot.app.workflow.store.listApprovalMessages(requestId);
    for (const message of messages) {
      const update = updates.filter((u) => u.activityId === message.activityId).pop();
      assert.ok(update, `card of ${message.approverId} updated`);
      const text = cardText(cardOf(update));
      assert.match(text, /Anna Approver/);
      assert.doesNotMatch(JSON.stringify(cardOf(update)), /"verb":"approve"/, 'no buttons after the decision');
    }
    const toRequester = bot.connector.messagesIn(`a:personal-${REQUESTER.aadObjectId}`).find((c) => after.includes(c));
    assert.ok(toRequester, 'requester told');
    assert.ok(cardText(cardOf(toRequester)).includes(stored.invitation.redeemUrl), 'the redeem link is in the requester message');
    assert.match(stored.invitation.redeemUrl, /^https:\/\//);
  });

  it('approve with a slow Teams: the invitation does not wait for the cards; each card is updated once ("Approved by …") and refreshes to "Invitation created"', async () => {
    const { requestId } = await submitValid();
    const messages = await bot.app.workflow.store.listApprovalMessages(requestId);
    // The decision's card updates ("Approved by …") are each answered a second late.
    bot.connector.scriptFaults(messages.map(() => ({ operation: 'updateActivity' as const, delayMs: 1000 })));
    const before = bot.connector.calls.length;
    await bot.invoke(ANNA, 'approve', { requestId });
    await bot.idle();

    const after = bot.connector.calls.slice(before);
    const link = bot.connector.messagesIn(`a:personal-${REQUESTER.aadObjectId}`).find((c) => after.includes(c));
    assert.ok(link, 'requester told');
    const firstUpdate = after.findIndex((c) => c.operation === 'updateActivity');
    assert.ok(after.indexOf(link) < firstUpdate, 'the redeem link went out while the slow card updates were still on their way');
    for (const message of messages) {
      const updates = after.filter((c) => c.operation === 'updateActivity' && c.activityId === message.activityId);
      // This approve names no card (no replyToId): Anna's card is updated like Ben's (test/bot/cardUpdates.spec.ts).
      assert.equal(updates.length, 1, `card of ${message.approverId}: the decision only, not again for the invitation`);
      assert.match(cardText(cardOf(updates[0]!)), /Approved by Anna/, `card of ${message.approverId}: who decided`);
      assert.equal(cardOf(updates[0]!).refresh?.action?.verb, 'refreshApproval', `card of ${message.approverId} refreshes when viewed`);
    }
    for (const approver of [ANNA, BEN]) {
      const viewed = cardOf(await bot.invoke(approver, 'refreshApproval', { requestId }));
      assert.match(cardText(viewed), /Invitation created/, `${approver.name}'s card, viewed: the current state`);
    }
  });

  it('deny: needs a reason, then tells the requester why and never calls Graph', async () => {
    const { requestId, email } = await submitValid();
    const noReason = await bot.invoke(BEN, 'deny', { requestId, reason: '   ' });
    assert.equal(noReason.status, 200);
    assert.match(cardText(cardOf(noReason)), /Say why/);
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');

    const before = bot.connector.calls.length;
    const denied = await bot.invoke(BEN, 'deny', { requestId, reason: 'Use the partner portal instead' });
    assert.match(cardText(cardOf(denied)), /Denied by Ben Approver/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Denied');
    const toRequester = bot.connector
      .messagesIn(`a:personal-${REQUESTER.aadObjectId}`)
      .find((c) => bot.connector.calls.indexOf(c) >= before);
    assert.ok(toRequester);
    assert.match(cardText(cardOf(toRequester)), /Use the partner portal instead/);
    assert.equal((await invitationsFor(email)).length, 0);
  });

  it('refuses a decision from someone who is not an approver: nothing changes, no Graph call', async () => {
    const { requestId, email } = await submitValid();
    const answer = await bot.invoke(OUTSIDER, 'approve', { requestId });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(answer.body.value, /Only approvers/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0);
    const audit = await bot.app.workflow.store.listAudit(requestId);
    assert.ok(
      audit.some((e) => e.action === 'refused:notApprover' && e.actor.id === OUTSIDER.aadObjectId),
      'refusal audited',
    );
  });

  it('refuses self-approval: an approver cannot decide their own request, and gets no approval card for it', async () => {
    const { requestId, email } = await submitValid(ANNA);
    const messages = await bot.app.workflow.store.listApprovalMessages(requestId);
    assert.deepEqual(
      messages.map((m) => m.approverId),
      [BEN.aadObjectId],
    );
    const answer = await bot.invoke(ANNA, 'approve', { requestId });
    assert.match(cardText(cardOf(answer)), /your own request/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0);
  });

  it('ignores a forged requester or status in card data', async () => {
    const email = uniqueGuestEmail();
    const answer = await submit(REQUESTER, {
      email,
      justification: 'Vendor',
      status: 'Approved',
      requester: { id: ANNA.aadObjectId },
      requestId: 'GR-AAAAAAAAAA',
    });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Pending');
    assert.equal(stored.requester.id, REQUESTER.aadObjectId);
    assert.notEqual(requestId, 'GR-AAAAAAAAAA');
  });

  it('two approvers approving at the same instant produce one decision and one invitation', async () => {
    const { requestId, email } = await submitValid();
    const [a, b] = await Promise.all([bot.invoke(ANNA, 'approve', { requestId }), bot.invoke(BEN, 'approve', { requestId })]);
    await bot.idle();
    const texts = [cardText(cardOf(a)), cardText(cardOf(b))];
    assert.equal(texts.filter((t) => /Already decided by/.test(t)).length, 1, `one loser told who decided: ${texts.join(' | ')}`);
    assert.equal((await invitationsFor(email)).length, 1);
    const audit = await bot.app.workflow.store.listAudit(requestId);
    assert.equal(audit.filter((e) => e.to === 'Approved').length, 1);
  });

  it('a second decision on a decided request changes nothing', async () => {
    const { requestId, email } = await submitValid();
    await bot.invoke(ANNA, 'deny', { requestId, reason: 'No' });
    await bot.idle();
    const again = await bot.invoke(BEN, 'approve', { requestId });
    assert.match(cardText(cardOf(again)), /Already decided by Anna Approver/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Denied');
    assert.equal((await invitationsFor(email)).length, 0);
  });

  it('invalid input: the form comes back with values kept and problems named; nothing stored or sent', async () => {
    const before = bot.connector.calls.length;
    const answer = await submit(REQUESTER, {
      email: 'not an email, really',
      displayName: 'x'.repeat(300),
      justification: '   ',
      message: 'y'.repeat(1001),
      sendInvitationMessage: { nested: true },
    });
    const card = cardOf(answer);
    const text = cardText(card);
    assert.match(text, /one email address/i);
    assert.match(text, /at most 256/);
    assert.match(text, /Say why/);
    assert.match(text, /at most 1000/);
    assert.ok(text.includes('not an email, really'), 'entered email kept');
    await bot.idle();
    assert.equal(bot.connector.calls.length, before, 'no approver was messaged');
    const page = await bot.app.workflow.store.listByRequester(REQUESTER.aadObjectId, 100);
    assert.ok(page.items.every((r) => r.guest.email !== 'not an email, really'));
  });

  it('every activity, answered or refused, is counted out of the background lane again', async () => {
    const lane = bot.app.lane;
    // A turn whose reply Teams answers late is in progress until then.
    bot.connector.scriptFaults([{ operation: 'replyToActivity', delayMs: 300 }]);
    const slow = bot.say(REQUESTER, 'help');
    await bot.connector.waitFor(() => lane.turns === 1 || undefined, 2000).catch(() => undefined);
    assert.equal(lane.turns, 1, 'the slow turn is counted while it runs');
    await slow;
    await Promise.all([
      bot.say(REQUESTER, 'help'),
      bot.invoke(REQUESTER, 'submitRequest', { email: 'not an address' }),
      bot.post('{"type":'),
      bot.post({ type: 'message' }),
    ]);
    assert.equal(lane.turns, 0);
  });

  it('wrong JSON types in card data are treated as missing, not as a crash', async () => {
    const answer = await submit(REQUESTER, { email: ['a@b.com'], justification: 42 });
    assert.match(cardText(cardOf(answer)), /Enter the guest's email/);
  });

  it('unknown text gets the help card; install gets the welcome card with a request button', async () => {
    const { replies } = await bot.say(REQUESTER, 'what can you do?');
    assert.match(cardText(cardOf(replies[0]!)), /my requests/);

    const before = bot.connector.calls.length;
    const install = await bot.post(installActivity(REQUESTER, bot.connector.url));
    assert.equal(install.status, 200);
    const welcome = bot.connector.calls
      .slice(before)
      .find((c) => c.operation === 'replyToActivity' || c.operation === 'sendToConversation');
    assert.ok(welcome, 'welcome sent');
    assert.match(cardText(cardOf(welcome)), /Welcome to Guest Access/);
    assert.match(JSON.stringify(cardOf(welcome)), /"verb":"openRequestForm"/);
    const form = await bot.invoke(REQUESTER, 'openRequestForm', {});
    assert.match(JSON.stringify(cardOf(form)), /"verb":"submitRequest"/);
  });

  it('commands are case-insensitive and "help" lists them', async () => {
    const { replies } = await bot.say(REQUESTER, 'HELP');
    const text = cardText(cardOf(replies[0]!));
    for (const command of ['request', 'my requests', 'help']) assert.ok(text.includes(command));
    // `pending` is an approver command: listed to approvers only (test/bot/whatPeopleSee.spec.ts).
    assert.ok(!text.includes('pending'));
  });

  it('"my requests" lists the requester\'s own requests newest first; "pending" is for approvers only', async () => {
    const { requestId } = await submitValid();
    const mine = await bot.say(REQUESTER, 'My Requests');
    const card = cardOf(mine.replies[0]!);
    assert.ok(cardText(card).includes(requestId));
    const denied = await bot.say(REQUESTER, 'pending');
    assert.equal(denied.replies[0]!.body.text, 'The "pending" command is for approvers. Type "my requests" to see your own requests.');
    const forApprover = await bot.say(ANNA, 'pending');
    assert.ok(
      (forApprover.replies[0]!.body.attachments as Array<{ content: unknown }>).some((a) => cardText(a.content).includes(requestId)),
    );
  });

  it("the requester can cancel a pending request; approvers' cards then show it cancelled", async () => {
    const { requestId, email } = await submitValid();
    const cancelled = await bot.invoke(REQUESTER, 'cancelRequest', { requestId });
    assert.match(cardText(cardOf(cancelled)), /Cancelled/);
    await bot.idle();
    for (const message of await bot.app.workflow.store.listApprovalMessages(requestId)) {
      const update = bot.connector.calls.filter((c) => c.operation === 'updateActivity' && c.activityId === message.activityId).pop();
      assert.ok(
        update && /Cancelled by the requester/.test(cardText(cardOf(update))),
        `card of ${message.approverId} shows the cancellation`,
      );
    }
    const late = await bot.invoke(ANNA, 'approve', { requestId });
    assert.match(cardText(cardOf(late)), /already Cancelled|Cancelled/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Cancelled');
    assert.equal((await invitationsFor(email)).length, 0);
  });
});
