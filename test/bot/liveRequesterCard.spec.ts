/**
 * The requester's live card (issue 15, item 1): the message their submit replaced (the invoke's
 * replyToId) is updated in place at every status change, shows only the actions valid now, and
 * its Universal Actions refresh answers the requester alone. Through /api/messages with the real
 * adapter, Azurite, the Graph sandbox and the fake connector.
 */
import { strict as assert } from 'node:assert';
import { randomInt } from 'node:crypto';
import type { Clock } from '../../src/domain/ports';
import { APPROVERS, BotHarness, cardOf, cardText, OUTSIDER, REQUESTER, requestIdIn, actionsOf } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { cardActionActivity, type TeamsPerson } from '../support/teamsActivities';
import type { ConnectorCall } from '../../tools/fakeConnector';

const [ANNA] = APPROVERS as [TeamsPerson, TeamsPerson];
const RITA_CHAT = `a:personal-${REQUESTER.aadObjectId}`;

/** A Teams-like message id (digits), different for every form. */
const messageId = () => `17${randomInt(10 ** 9, 10 ** 10)}${randomInt(100, 999)}`;

const hasCancel = (card: unknown) => actionsOf(card).some((a) => a.verb === 'cancelRequest');

describe('the live requester card (bot over /api/messages)', function () {
  this.timeout(30_000);
  let offset = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offset) };
  let bot: BotHarness;
  before(async () => {
    bot = await BotHarness.start({ overrides: { clock }, env: { REQUEST_EXPIRY_DAYS: '14' } });
  });
  after(async () => {
    await bot?.stop();
  });

  /** Submits the form held by message `formId` (the invoke's replyToId, as Teams sets it). */
  const submit = async (formId: unknown, fields: Record<string, unknown> = {}) => {
    const activity = {
      ...cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', {
        email: uniqueGuestEmail(),
        displayName: 'Liv Live',
        justification: 'Project',
        sendInvitationMessage: 'false',
        ...fields,
      }),
      replyToId: formId,
    };
    const answer = await bot.post(activity);
    assert.equal(answer.status, 200);
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    return { requestId, card: cardOf(answer) };
  };
  /** Updates of one message in Rita's chat, oldest first. */
  const updatesOf = (id: string): ConnectorCall[] =>
    bot.connector.calls.filter((c) => c.operation === 'updateActivity' && c.conversationId === RITA_CHAT && c.activityId === id);
  const stored = async (id: string) => (await bot.app.workflow.store.get(id))!.value;

  it('the submit answer is the live card: Cancel, and a refresh for the requester alone', async () => {
    const formId = messageId();
    const { requestId, card } = await submit(formId);
    assert.equal((await stored(requestId)).requesterCardId, formId);
    assert.ok(hasCancel(card));
    assert.deepEqual(card.refresh, {
      action: { type: 'Action.Execute', verb: 'refreshStatus', data: { requestId } },
      userIds: [`29:${REQUESTER.aadObjectId}`],
    });
    assert.equal(updatesOf(formId).length, 0, 'nothing to update while it is pending');
  });

  it('approve: the card the submit named turns into Invited, no Cancel; the link is in the chat once (the link message), the card points to it', async () => {
    const formId = messageId();
    const { requestId } = await submit(formId);
    await bot.invoke(ANNA, 'approve', { requestId });
    await bot.idle();
    const request = await stored(requestId);
    assert.equal(request.status, 'Invited');
    const url = request.invitation!.redeemUrl;
    const updates = updatesOf(formId);
    // The invitation was made at once: one update, to the final state (no "inviting…" in between;
    // that only shows while Graph cannot be reached, test/bot/cardUpdates.spec.ts).
    assert.equal(updates.length, 1, `Invited, once (got ${updates.length})`);
    const last = cardOf(updates.at(-1)!);
    assert.match(cardText(last), /invited/i);
    assert.ok(!JSON.stringify(last).includes(url), 'the live card does not repeat the link');
    assert.match(cardText(last), /link for .* is in the message below/);
    const everything = JSON.stringify(bot.connector.calls.filter((c) => c.conversationId === RITA_CHAT).map((c) => c.body));
    assert.equal(everything.split(url).length - 1, 1, 'the link reaches the chat once: in the link message');
    assert.ok(!hasCancel(last), 'no Cancel once decided');
    assert.equal(last.refresh, undefined, 'settled: no more refreshes');
    // Nowhere else: only that message of Rita's chat was updated.
    assert.ok(
      bot.connector.calls
        .filter((c) => c.operation === 'updateActivity' && c.conversationId === RITA_CHAT)
        .every((c) => c.activityId === formId || !JSON.stringify(c.body).includes(requestId)),
    );

    // A Cancel pressed on a copy drawn before: the answer is the card as it is now, not an error.
    const stale = await bot.invoke(REQUESTER, 'cancelRequest', { requestId });
    assert.equal(typeof cardOf(stale), 'object', 'a card, not a text');
    assert.match(cardText(cardOf(stale)), /invited/i);
    assert.doesNotMatch(cardText(cardOf(stale)), /already/);
    assert.ok(!hasCancel(cardOf(stale)));
  });

  it('deny: the card shows Denied with the reason and no Cancel', async () => {
    const formId = messageId();
    const { requestId } = await submit(formId);
    await bot.invoke(ANNA, 'deny', { requestId, reason: 'Use the partner portal' });
    await bot.idle();
    const last = cardOf(updatesOf(formId).at(-1)!);
    assert.match(cardText(last), /Denied/);
    assert.match(cardText(last), /Use the partner portal/);
    assert.ok(!hasCancel(last));
  });

  it('cancel from "my requests": the live card shows Cancelled too', async () => {
    const formId = messageId();
    const { requestId } = await submit(formId);
    const answer = await bot.invoke(REQUESTER, 'cancelRequest', { requestId, from: 'myRequests' });
    assert.equal(answer.status, 200);
    await bot.idle();
    assert.equal((await stored(requestId)).status, 'Cancelled');
    const last = cardOf(updatesOf(formId).at(-1)!);
    assert.match(cardText(last), /Cancelled/);
    assert.ok(!hasCancel(last));
  });

  it('refresh: the requester gets the current card; anyone else the not-found answer', async () => {
    const formId = messageId();
    const { requestId } = await submit(formId);
    await bot.invoke(ANNA, 'deny', { requestId, reason: 'Not this quarter' });
    await bot.idle();
    const mine = cardOf(await bot.invoke(REQUESTER, 'refreshStatus', { requestId }));
    assert.match(cardText(mine), /Denied/);
    assert.match(cardText(mine), /Not this quarter/);
    for (const other of [ANNA, OUTSIDER]) {
      const answer = await bot.invoke(other, 'refreshStatus', { requestId });
      assert.equal(answer.body?.value, `There is no request ${requestId}.`, `${other.name} learns nothing`);
    }
    assert.equal(
      (await bot.invoke(OUTSIDER, 'refreshStatus', { requestId: 'GR-NOSUCHONE1' })).body?.value,
      'There is no request GR-NOSUCHONE1.',
    );
  });

  it('a hostile replyToId is ignored: the request is made, no card is updated', async () => {
    for (const hostile of ['../../v3/conversations/other/activities/1', 'x'.repeat(300), '1 2', '1?x=y', '', 42, { id: '1' }, ['1']]) {
      const before = bot.connector.calls.length;
      const { requestId } = await submit(hostile);
      assert.equal((await stored(requestId)).requesterCardId, undefined, JSON.stringify(hostile));
      await bot.invoke(ANNA, 'deny', { requestId, reason: 'No' });
      await bot.idle();
      const updates = bot.connector.calls.slice(before).filter((c) => c.operation === 'updateActivity' && c.conversationId === RITA_CHAT);
      assert.deepEqual(updates, [], JSON.stringify(hostile));
      assert.equal((await stored(requestId)).status, 'Denied');
    }
    // The same flow with a well-formed id does update it (the check above is not vacuous).
    const formId = messageId();
    const { requestId } = await submit(formId);
    await bot.invoke(ANNA, 'deny', { requestId, reason: 'No' });
    await bot.idle();
    assert.equal(updatesOf(formId).length, 1);
  });

  it('expiry (sweep, injected clock): the card shows Expired, with no Cancel', async () => {
    const formId = messageId();
    const { requestId } = await submit(formId);
    offset = 15 * 24 * 3_600_000;
    try {
      await bot.app.sweep();
      await bot.idle();
    } finally {
      offset = 0;
    }
    assert.equal((await stored(requestId)).status, 'Expired');
    const last = cardOf(updatesOf(formId).at(-1)!);
    assert.match(cardText(last), /Expired|expired/);
    assert.ok(!hasCancel(last));
  });
});
