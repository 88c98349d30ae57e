/**
 * Storage that stops answering (the Azurite process frozen with SIGSTOP: connections are accepted,
 * nothing is answered): every click is still answered within its budget, with a plain "nothing
 * changed" message, /readyz says 503 within 2 s, and once storage answers again the bot works.
 */
import { strict as assert } from 'node:assert';
import { en } from '../../src/cards/i18n/en';
import { de } from '../../src/cards/i18n/de';
import { startAzurite, type RunningAzurite } from '../../tools/azurite';
import { APPROVERS, BotHarness, cardOf, cardText, REQUESTER } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';

/** Short figures, so the test is quick; the budget is below the storage deadline on purpose. */
const INVOKE_BUDGET_MS = 2000;
const STORAGE_ATTEMPT_MS = 4000;

describe('frozen storage (SIGSTOP)', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let bot: BotHarness;
  let frozen = false;

  const freeze = () => {
    process.kill(azurite.pid!, 'SIGSTOP');
    frozen = true;
  };
  const thaw = () => {
    if (frozen) process.kill(azurite.pid!, 'SIGCONT');
    frozen = false;
  };

  before(async () => {
    azurite = await startAzurite();
    bot = await BotHarness.start({
      env: { STORAGE_CONNECTION_STRING: azurite.connectionString },
      overrides: { deadlines: { invokeMs: INVOKE_BUDGET_MS, storageAttemptMs: STORAGE_ATTEMPT_MS, readinessMs: 1000 } },
    });
  });
  afterEach(() => thaw());
  after(async () => {
    thaw();
    await bot?.stop();
    await azurite?.stop();
  });

  async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const started = Date.now();
    const value = await work();
    return { value, ms: Date.now() - started };
  }

  it('answers approve and submit within the budget with "nothing changed", /readyz 503 within 2 s, and recovers after SIGCONT', async () => {
    const { requestId } = await bot.submit(REQUESTER, { email: uniqueGuestEmail(), justification: 'Partner' });
    freeze();

    const approve = await timed(() => bot.invoke(APPROVERS[0]!, 'approve', { requestId }));
    assert.equal(approve.value.status, 200);
    assert.equal(approve.value.body.value, en.messages.notInTimeNothingChanged);
    assert.ok(approve.ms < INVOKE_BUDGET_MS + 1000, `approve answered after ${approve.ms} ms`);

    const submit = await timed(() =>
      bot.invoke({ ...REQUESTER, locale: 'de-DE' }, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Partner' }),
    );
    assert.equal(submit.value.status, 200);
    assert.equal(submit.value.body.value, de.messages.notInTimeNothingChanged);
    assert.ok(submit.ms < INVOKE_BUDGET_MS + 1000, `submit answered after ${submit.ms} ms`);

    const ready = await timed(() => fetch(`${bot.url}/readyz`));
    assert.equal(ready.value.status, 503);
    assert.ok(ready.ms < 2000, `/readyz answered after ${ready.ms} ms`);

    thaw();
    // Storage answers again: a new submit works and the probe is green.
    const after = await bot.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Partner' });
    assert.equal(after.status, 200);
    assert.match(cardText(cardOf(after)), /GR-[0-9A-Z]{10}/);
    assert.equal((await fetch(`${bot.url}/readyz`)).status, 200);
    // Clicking approve again is safe: it decides now, or shows the decision if the first click landed.
    const again = await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    assert.equal(again.status, 200);
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status === 'Pending', false);
    await bot.idle();
  });

  it('a storage call that does not answer fails at its own deadline, before the budget', async () => {
    const quick = await BotHarness.start({
      env: { STORAGE_CONNECTION_STRING: azurite.connectionString },
      overrides: { deadlines: { invokeMs: 8000, storageAttemptMs: 500 } },
    });
    try {
      const { requestId } = await quick.submit(REQUESTER, { email: uniqueGuestEmail(), justification: 'Partner' });
      freeze();
      const deny = await timed(() => quick.invoke(APPROVERS[0]!, 'deny', { requestId, reason: 'No' }));
      assert.equal(deny.value.body.value, en.messages.notInTimeNothingChanged);
      assert.ok(deny.ms < 3000, `deny answered after ${deny.ms} ms`);
      thaw();
    } finally {
      thaw();
      await quick.stop();
    }
  });
});
