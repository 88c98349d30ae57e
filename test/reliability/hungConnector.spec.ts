/**
 * Teams chats that hang (the fake connector holds every call into them without answering): one
 * person's stuck chat never holds up another person's request. Each Teams call has a deadline, at
 * most two calls are in flight per chat, and a call hanging on its chat gives its background slot
 * back, so the approval cards of a new request still reach the approvers at once. A typed command
 * stuck in Teams ends at its budget.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { ConnectorCall } from '../../tools/fakeConnector';
import { APPROVERS, BotHarness, chatsWith, type HttpAnswer } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const person = (i: number): TeamsPerson => ({ aadObjectId: randomUUID(), name: `Requester ${i}` });
const chatOf = (p: TeamsPerson) => `a:personal-${p.aadObjectId}`;

describe('hung Teams chats', function () {
  this.timeout(60_000);
  let bot: BotHarness | undefined;

  afterEach(async () => {
    bot?.connector.release();
    await bot?.stop();
    bot = undefined;
  });

  /** One request per entry (a person listed twice has two), all denied: each denial's message hangs. */
  async function deniedMessagesHang(harness: BotHarness, requesters: TeamsPerson[]): Promise<string[]> {
    const ids: string[] = [];
    for (const requester of requesters)
      ids.push((await harness.submit(requester, { email: uniqueGuestEmail(), justification: 'Partner' })).requestId);
    harness.connector.hang(requesters.map(chatOf));
    // Each denial's message to its requester hangs.
    await Promise.all(ids.map((requestId) => harness.invoke(APPROVERS[0]!, 'deny', { requestId, reason: 'No' })));
    return ids;
  }

  it("ten requesters' chats hanging: a new request's approval cards still reach the approvers within a few seconds", async () => {
    // The call deadline is long here: what keeps others going is the cap per chat and the slots given back.
    bot = await BotHarness.start({ overrides: { deadlines: { teamsCallMs: 60_000, teamsAttemptMs: 60_000, teamsSlotMs: 300 } } });
    const harness = bot;
    const stuck = Array.from({ length: 10 }, (_, i) => person(i));
    // The first requester has three messages on their way to the same hung chat.
    await deniedMessagesHang(harness, [...stuck, stuck[0]!, stuck[0]!]);
    await harness.connector.waitFor(() => harness.connector.held().length >= 8, 10_000);

    const newcomer = person(99);
    const started = Date.now();
    const answer: HttpAnswer = await harness.invoke(newcomer, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Partner' });
    assert.equal(answer.status, 200);
    const cards = await harness.connector.waitFor((calls) => {
      const reached = APPROVERS.map((a) =>
        calls.find(
          (c: ConnectorCall) =>
            c.at >= started && chatsWith(harness.connector, a).includes(c.conversationId) && JSON.stringify(c.body).includes(newcomer.name),
        ),
      );
      return reached.every(Boolean) ? reached : undefined;
    }, 5000);
    const ms = Math.max(...cards.map((c) => c!.at)) - started;
    assert.ok(ms < 3000, `approval cards reached the approvers after ${ms} ms`);

    // Never more than two calls at once into one hung chat.
    assert.ok(
      harness.connector.maxOpenIn(chatOf(stuck[0]!)) <= 2,
      `at most 2 calls in flight in one chat (saw ${harness.connector.maxOpenIn(chatOf(stuck[0]!))})`,
    );
    assert.ok(harness.connector.held().filter((c) => c.conversationId === chatOf(stuck[0]!)).length <= 2);
  });

  it('a Teams call that passes its deadline fails as a passing failure, holds nothing, and the sweep delivers later', async () => {
    bot = await BotHarness.start({ overrides: { deadlines: { teamsCallMs: 800 } } });
    const harness = bot;
    const requester = person(1);
    const [requestId] = await deniedMessagesHang(harness, [requester]);
    // The background work ends (no slot or gate is left held) once the call is given up on.
    const started = Date.now();
    await harness.idle();
    assert.ok(Date.now() - started < 5000, 'the hung call was given up on at its deadline');
    let stored = (await harness.app.workflow.store.get(requestId!))!.value;
    assert.equal(stored.status, 'Denied');
    assert.equal(stored.requesterNotifiedAt, undefined, 'not recorded as told');
    assert.ok(harness.logLines.some((line) => line.includes('requester not reached; the next sweep tries again')));

    // The given-up call was aborted on the wire, not left to land later.
    await harness.connector.waitFor(() => harness.connector.held().length === 0, 5000);
    harness.connector.release();
    await harness.app.sweep();
    await harness.idle();
    stored = (await harness.app.workflow.store.get(requestId!))!.value;
    assert.ok(stored.requesterNotifiedAt, 'told by the sweep');
    assert.equal(harness.connector.messagesIn(chatOf(requester)).length, 1, 'told once');
  });

  it('a typed command that does not finish ends at its budget (its call aborted, the lane widened again), with a note to try again', async () => {
    bot = await BotHarness.start({ overrides: { deadlines: { messageMs: 600 } } });
    const rita = person(1);
    const linesBefore = bot.logLines.length;
    // Teams takes 4 s over the answer (the list); the note after it goes through at once.
    bot.connector.scriptFaults([{ operation: 'replyToActivity', delayMs: 4000 }]);
    const started = Date.now();
    const { status, replies } = await bot.say(rita, 'help');
    const ms = Date.now() - started;
    assert.equal(status, 200);
    assert.ok(ms < 3000, `the turn ended after ${ms} ms`);
    assert.ok(
      replies.some((c) => JSON.stringify(c.body).includes('did not answer in time')),
      'the person is told to try again',
    );
    assert.equal(bot.app.lane.turns, 0, 'no turn is left counted: the background lane is as wide as before');
    const lines = bot.logLines.slice(linesBefore).map((l) => JSON.parse(l) as { level: number; msg: string });
    assert.ok(lines.some((l) => l.level === 40 && l.msg === 'command not finished in time'));
    assert.deepEqual(
      lines.filter((l) => l.level >= 50).map((l) => l.msg),
      [],
    );
  });
});
