/** The platform's probes: /healthz (the process answers) and /readyz (its storage answers). */
import { strict as assert } from 'node:assert';
import { useBotHarness } from '../support/botHarness';

describe('health and readiness probes', () => {
  const bot = useBotHarness();

  it('answer 200 while the bot and its storage are up', async () => {
    const health = await fetch(`${bot.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${bot.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });
});
