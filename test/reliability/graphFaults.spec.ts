/**
 * Graph's bad days, through the bot: throttling, outages and dropped connections are retried no
 * earlier than Graph asked; a permanent refusal fails the request, tells the requester and the
 * deciding approver, and "Retry invitation" on the approval card then succeeds.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, useBotWithOwnGraph, chatsWith, cardOf, cardText, REQUESTER, requestIdIn } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';

describe('reliability: scripted Graph faults through the bot', function () {
  this.timeout(30_000);
  const { bot, graph } = useBotWithOwnGraph();

  async function submitAndApprove(email: string): Promise<string> {
    const requestId = requestIdIn(cardOf(await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Fault drill' })));
    await bot.idle();
    const answer = await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    assert.equal(answer.status, 200);
    await bot.idle();
    return requestId;
  }

  it('429, 503 and a reset are retried, never before Retry-After, and the guest is invited once', async () => {
    const email = uniqueGuestEmail();
    graph.state.scriptFaults([
      { status: 429, retryAfterSeconds: 1 },
      { status: 503, retryAfterSeconds: 1 },
      { reset: true },
      { status: 429, retryAfterSeconds: 1, retryAfterAsDate: true },
    ]);
    const requestId = await submitAndApprove(email);
    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Invited');
    const calls = graph.state.invitations();
    assert.equal(calls.length, 5);
    assert.deepEqual(
      calls.map((c) => c.early),
      [false, false, false, false, false],
    );
    const stats = graph.state.stats();
    assert.equal(stats.earlyRetries, 0);
    assert.equal(stats.invitationsCreated, 1);
    // The waits really happened: each retry after a Retry-After came at least a second later.
    for (const [i, call] of calls.entries()) {
      if (call.retryAfterMs !== null) assert.ok(calls[i + 1]!.arrivedAtMs - call.answeredAtMs! >= call.retryAfterMs - 1);
    }
  });

  it('a permanent 400 fails the request, tells the requester and the deciding approver; retryInvitation then invites', async () => {
    const email = uniqueGuestEmail();
    graph.state.scriptFaults([{ status: 400, code: 'BadRequest', message: 'The invited user address is not accepted.' }]);
    const before = bot.connector.calls.length;
    const requestId = await submitAndApprove(email);
    const failed = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(failed.status, 'Failed');
    assert.equal(graph.state.invitations().length, 1, 'a permanent error is not retried');

    // Cards and texts escape markdown (e.g. "\\."): compare without the escapes.
    const unescape = (t: string) => t.replace(/\\/g, '');
    const since = (id: string) => bot.connector.messagesIn(id).filter((c) => bot.connector.calls.indexOf(c) >= before);
    const toRequester = since(`a:personal-${REQUESTER.aadObjectId}`).map((c) =>
      unescape(`${cardText(cardOf(c))} ${String(c.body.text ?? '')}`),
    );
    assert.ok(
      toRequester.some((t) => t.includes(email)),
      'the requester is told, naming the guest',
    );
    const toDecider = chatsWith(bot.connector, APPROVERS[0]!)
      .flatMap(since)
      .map((c) => unescape(String(c.body.text ?? '')));
    assert.ok(
      toDecider.some((t) => t.includes(email) && /failed/i.test(t)),
      'the deciding approver is told',
    );
    const toOther = chatsWith(bot.connector, APPROVERS[1]!)
      .flatMap(since)
      .map((c) => String(c.body.text ?? ''));
    assert.ok(!toOther.some((t) => /failed/i.test(t)), 'only the decider hears of the failure');

    const retried = await bot.invoke(APPROVERS[0]!, 'retryInvitation', { requestId });
    assert.equal(retried.status, 200);
    await bot.idle();
    const after = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(after.status, 'Invited');
    assert.ok(after.requesterNotifiedAt);
    assert.equal(graph.state.stats().invitationsCreated, 1);
  });

  it('the requester cannot be reached after Graph answered: the request stays in the outbox and the next sweep tells them, with no second invitation', async () => {
    const email = uniqueGuestEmail();
    const requestId = requestIdIn(cardOf(await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Connector outage' })));
    await bot.idle();
    // 503 four times: the connector client's own three retries do not get through either.
    bot.connector.scriptFaults(Array.from({ length: 4 }, () => ({ operation: 'replyToActivity' as const, status: 503 })));
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    await bot.idle();
    const waiting = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(waiting.status, 'Approved', 'not Invited until the requester has the link');
    assert.ok(waiting.invitation?.redeemUrl, 'the invitation is recorded');
    assert.equal(waiting.requesterNotifiedAt, undefined);

    await bot.app.sweep();
    await bot.idle();
    const done = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(done.status, 'Invited');
    assert.ok(done.requesterNotifiedAt);
    assert.equal(done.invitation!.redeemUrl, waiting.invitation.redeemUrl, 'the same link');
    assert.equal(graph.state.invitations().length, 1, 'Graph is not called again');
  });
});
