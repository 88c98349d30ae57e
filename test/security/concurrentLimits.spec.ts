/**
 * Flooding with simultaneous submits: per-requester limits (MAX_PENDING_PER_REQUESTER,
 * MAX_REQUESTS_PER_DAY) hold when many submits of one person arrive at once, as a client would
 * send them through /api/messages. A read-then-write check stored 21 of 30 against a limit of 3.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { APPROVERS, BotHarness, cardOf, cardText, requestIdIn } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const BURST = 50;

describe('per-requester limits under concurrency', () => {
  let bot: BotHarness;

  afterEach(async () => {
    await bot?.stop();
  });

  const flood = async (person: TeamsPerson) => {
    // Each submit comes from its own fresh form (its own token, or none): every one is a new request.
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        bot.invoke(person, 'submitRequest', {
          email: uniqueGuestEmail(),
          justification: 'Flood',
          ...(i % 2 ? { submissionId: randomUUID() } : {}),
        }),
      ),
    );
    await bot.idle();
    for (const answer of answers) assert.equal(answer.status, 200);
    return answers.map((answer) => cardText(cardOf(answer)));
  };
  const stored = async (person: TeamsPerson) => (await bot.app.workflow.store.listByRequester(person.aadObjectId, 1000)).items;

  it(`${BURST} simultaneous submits with MAX_PENDING_PER_REQUESTER=3 store exactly 3; after a denial one more is accepted`, async () => {
    bot = await BotHarness.start({ env: { MAX_PENDING_PER_REQUESTER: '3', MAX_REQUESTS_PER_DAY: '0' } });
    const person: TeamsPerson = { aadObjectId: randomUUID(), name: 'Fiona Flood' };
    const texts = await flood(person);
    assert.equal(texts.filter((text) => /Pending approval/.test(text)).length, 3);
    assert.equal(texts.filter((text) => /already have 3 requests waiting/.test(text)).length, BURST - 3);
    const requests = await stored(person);
    assert.equal(requests.length, 3);

    await bot.invoke(APPROVERS[0]!, 'deny', { requestId: requests[0]!.id, reason: 'Too many' });
    await bot.idle();
    const again = await bot.invoke(person, 'submitRequest', {
      email: uniqueGuestEmail(),
      justification: 'One more',
      submissionId: randomUUID(),
    });
    requestIdIn(cardOf(again));
    assert.match(cardText(cardOf(again)), /Pending approval/);
    assert.equal((await stored(person)).length, 4);
  });

  it(`${BURST} simultaneous submits with MAX_REQUESTS_PER_DAY=3 store exactly 3, and a cancellation does not make room for the day`, async () => {
    bot = await BotHarness.start({ env: { MAX_PENDING_PER_REQUESTER: '0', MAX_REQUESTS_PER_DAY: '3' } });
    const person: TeamsPerson = { aadObjectId: randomUUID(), name: 'Dan Daily' };
    const texts = await flood(person);
    assert.equal(texts.filter((text) => /Pending approval/.test(text)).length, 3);
    assert.equal(texts.filter((text) => /3 requests in the last 24 hours/.test(text)).length, BURST - 3);
    const requests = await stored(person);
    assert.equal(requests.length, 3);

    await bot.invoke(person, 'cancelRequest', { requestId: requests[0]!.id });
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requests[0]!.id))?.value.status, 'Cancelled');
    const refused = await bot.invoke(person, 'submitRequest', { email: uniqueGuestEmail(), justification: 'One more' });
    assert.match(cardText(cardOf(refused)), /3 requests in the last 24 hours/);
    assert.equal((await stored(person)).length, 3);
  });

  it(`both limits at once: ${BURST} simultaneous submits, then a cancellation makes room under the pending limit`, async () => {
    bot = await BotHarness.start({ env: { MAX_PENDING_PER_REQUESTER: '2', MAX_REQUESTS_PER_DAY: '5' } });
    const person: TeamsPerson = { aadObjectId: randomUUID(), name: 'Bea Both' };
    await flood(person);
    const requests = await stored(person);
    assert.equal(requests.length, 2);
    await bot.invoke(person, 'cancelRequest', { requestId: requests[0]!.id });
    await bot.idle();
    const texts = await flood(person);
    assert.equal(texts.filter((text) => /Pending approval/.test(text)).length, 1);
    assert.equal((await stored(person)).length, 3);
  });
});
