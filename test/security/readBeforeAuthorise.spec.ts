/**
 * Authorise before reading: an employee who is neither the requester nor an approver, holding a
 * real request id, gets exactly the answer a made-up id gets, and no detail of the guest anywhere
 * (the invoke response, or any message the bot sends).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { BotHarness, cardOf, cardText, OUTSIDER, REQUESTER, requestIdIn } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { HttpAnswer } from '../support/teamsActivities';

/** Every card verb that takes a request id. */
const VERBS = ['approve', 'deny', 'retryInvitation', 'cancelRequest', 'refreshApproval'] as const;

describe('authorise before reading (a third employee holding a request id)', function () {
  this.timeout(120_000);
  let bot: BotHarness;
  let requestId: string;
  let secrets: string[];
  let email: string;

  before(async () => {
    bot = await BotHarness.start();
    email = uniqueGuestEmail();
    const guest = {
      email,
      displayName: 'Gloria Secretguest',
      justification: 'Confidential merger talks',
      message: 'Welcome aboard Project Nightjar',
    };
    const { answer } = await bot.submit(REQUESTER, guest);
    requestId = requestIdIn(cardOf(answer));
    secrets = [email, guest.displayName, guest.justification, guest.message, email.split('@')[0]!];
  });
  after(async () => {
    await bot?.stop();
  });

  /** A made-up id of the same shape, not stored. */
  function randomId(): string {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let id = 'GR-';
    for (let i = 0; i < 10; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
    return id;
  }

  /** The answer with the id it names written as <id>, so answers about two ids compare. */
  function shape(answer: HttpAnswer, id: string): string {
    return JSON.stringify({ status: answer.status, body: answer.body }).split(id).join('<id>');
  }

  function assertNoGuestDetail(where: string, text: string): void {
    for (const secret of secrets)
      assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `${where} holds "${secret}": ${text.slice(0, 400)}`);
  }

  async function attempt(verb: string, data: Record<string, unknown>): Promise<void> {
    const before = bot.connector.calls.length;
    const unknown = randomId();
    const real = await bot.invoke(OUTSIDER, verb, { ...data, requestId });
    const made = await bot.invoke(OUTSIDER, verb, { ...data, requestId: unknown });
    await bot.idle();
    assert.equal(shape(real, requestId), shape(made, unknown), `${verb} ${JSON.stringify(data)}: a real id is answered as a made-up one`);
    assertNoGuestDetail(`the answer to ${verb}`, JSON.stringify(real.body));
    for (const call of bot.connector.calls.slice(before))
      assertNoGuestDetail(`a ${call.operation} to ${call.conversationId}`, JSON.stringify(call.body));
  }

  for (const verb of VERBS) {
    it(`${verb}: the real id is answered exactly as a made-up one, with no guest detail`, async () => {
      await attempt(verb, {});
    });
  }

  it('deny without a reason (the "invalid" path) reveals nothing either', async () => {
    await attempt('deny', { reason: '   ' });
    await attempt('deny', { reason: 'x'.repeat(1001) });
  });

  it('property: any verb with any extra card data answers a real id as a made-up one', async () => {
    const extra = fc.dictionary(
      fc.constantFrom('reason', 'cursor', 'actor', 'requester', 'status', 'decider', 'email'),
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.constant(''),
        fc.constant('   '),
        fc.constant(REQUESTER.aadObjectId),
        fc.integer(),
        fc.constant(null),
      ),
      { maxKeys: 3 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VERBS), extra, async (verb, data) => {
        await attempt(verb, data);
      }),
      { numRuns: 25 },
    );
  });

  it('afterwards the request is untouched: still pending, never invited, and the requester still sees it', async () => {
    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0);
    const own = await bot.invoke(REQUESTER, 'refreshApproval', { requestId });
    assert.ok(
      cardText(cardOf(own)).includes(email.split('@')[0]!),
      'control: the requester may see their own request (the card escapes the dots)',
    );
  });
});
