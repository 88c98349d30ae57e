/**
 * Teams delivery that fails: passing failures (5xx) are retried and, past the retries, finished by
 * the sweep; a permanent refusal (403: the requester blocked the bot) is recorded on the request and
 * never undoes or holds up the decision.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, useBotHarness, REQUESTER } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';

describe('Teams delivery failures', () => {
  const bot = useBotHarness();

  const requesterChat = `a:personal-${REQUESTER.aadObjectId}`;

  async function submitted(email = uniqueGuestEmail()) {
    const { requestId } = await bot.submit(REQUESTER, { email, justification: 'Partner' });
    return { requestId, email };
  }

  it("a denial that Teams could not deliver (5xx past the connector client's retries) is delivered by the next sweep, once", async () => {
    const { requestId } = await submitted();
    bot.connector.scriptFaults(Array.from({ length: 4 }, () => ({ operation: 'replyToActivity' as const, status: 503 })));
    await bot.invoke(APPROVERS[0]!, 'deny', { requestId, reason: 'Budget' });
    await bot.idle();
    let stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Denied');
    assert.equal(stored.requesterNotifiedAt, undefined, 'not recorded as told');

    const before = bot.connector.messagesIn(requesterChat).length;
    await bot.app.sweep();
    await bot.idle();
    stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.ok(stored.requesterNotifiedAt, 'told by the sweep');
    assert.equal(bot.connector.messagesIn(requesterChat).length, before + 1);
    await bot.app.sweep();
    assert.equal(bot.connector.messagesIn(requesterChat).length, before + 1, 'not told twice');
  });

  it('a requester who blocked the bot (403): the denial is recorded as undeliverable and not retried', async () => {
    const { requestId } = await submitted();
    bot.connector.scriptFaults([{ operation: 'replyToActivity', status: 403 }]);
    await bot.invoke(APPROVERS[0]!, 'deny', { requestId, reason: 'Budget' });
    await bot.idle();
    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Denied');
    assert.equal(stored.requesterUnreachable?.status, 403);
    const before = bot.connector.calls.length;
    await bot.app.sweep();
    assert.equal(bot.connector.calls.filter((c, i) => i >= before && c.conversationId === requesterChat).length, 0, 'no retry');
  });

  it('an approval whose link cannot be delivered (403) still completes: Invited, one invitation, recorded', async () => {
    const { requestId, email } = await submitted();
    bot.connector.scriptFaults([{ operation: 'replyToActivity', status: 403 }]);
    await bot.invoke(APPROVERS[1]!, 'approve', { requestId });
    await bot.idle();
    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Invited');
    assert.equal(stored.requesterUnreachable?.status, 403);
    assert.ok(stored.decision, 'the decision stands');
    await bot.app.sweep();
    await bot.idle();
    assert.equal((await invitationsFor(email)).length, 1);
  });
});

describe('a reply Teams does not take', () => {
  const bot = useBotHarness();

  const logged = () => bot.logLines.map((l) => JSON.parse(l) as { level: number; msg: string; status?: number; conversationId?: string });

  it('refused for good (404: the conversation is gone): one warning naming the conversation, no error, nothing sent after it', async () => {
    const linesBefore = bot.logLines.length;
    bot.connector.scriptFaults([{ operation: 'replyToActivity', status: 404 }]);
    const { status, replies } = await bot.say(REQUESTER, 'my requests');
    assert.equal(status, 200, 'Teams is answered 200: the turn itself went well');
    assert.deepEqual(replies, [], 'no second message ("something went wrong") into a conversation that is gone');
    const lines = logged().slice(linesBefore);
    const warnings = lines.filter((l) => l.msg === 'reply not delivered: Teams refused it');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.status, 404);
    assert.equal(warnings[0]!.conversationId, `a:personal-${REQUESTER.aadObjectId}`);
    assert.deepEqual(
      lines.filter((l) => l.level >= 50),
      [],
      'not an error: nothing in the bot is broken',
    );
  });

  it("failing past the connector client's retries (503): one error saying the reply was not delivered, not two", async () => {
    const linesBefore = bot.logLines.length;
    bot.connector.scriptFaults(Array.from({ length: 4 }, () => ({ operation: 'replyToActivity' as const, status: 503 })));
    const { status } = await bot.say(REQUESTER, 'help');
    assert.equal(status, 200);
    const errors = logged()
      .slice(linesBefore)
      .filter((l) => l.level >= 50);
    assert.deepEqual(
      errors.map((l) => l.msg),
      ['reply not delivered'],
    );
  });
});
