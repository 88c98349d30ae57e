/**
 * The outbox's last write (Approved → Invited) is a conditional write against the version it holds.
 * When someone else writes the request meanwhile, the retry must start from what they wrote, not
 * overwrite it. Through the bot, with the real store, Graph sandbox and connector; the other writer
 * is injected while the requester is being told (between the outbox's two writes).
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, useBotHarness, REQUESTER } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';

describe('reliability: a write racing the outbox', () => {
  const bot = useBotHarness();

  it('the Invited write keeps what another writer stored while the requester was being told', async () => {
    const { store, notifier } = bot.app.workflow;
    const marker = { kind: 'none' as const, checkedAt: '2020-01-01T00:00:00.000Z' };
    const tell = notifier.notifyRequester.bind(notifier);
    let raced = false;
    notifier.notifyRequester = async (request) => {
      if (request.status === 'Invited' && !raced) {
        raced = true;
        const current = (await store.get(request.id))!;
        await store.update({ ...current.value, existingAccount: marker }, current.etag);
      }
      return tell(request);
    };
    try {
      const { requestId } = await bot.submit(REQUESTER, {
        email: uniqueGuestEmail(),
        displayName: 'Gina Guest',
        justification: 'Race drill',
      });
      assert.equal((await bot.invoke(APPROVERS[0]!, 'approve', { requestId })).status, 200);
      await bot.idle();
      assert.ok(raced, 'the other writer ran');
      const stored = (await store.get(requestId))!.value;
      assert.equal(stored.status, 'Invited');
      assert.ok(stored.requesterNotifiedAt, 'the requester is recorded as told');
      assert.deepEqual(stored.existingAccount, marker, 'the other writer’s change is kept');
    } finally {
      notifier.notifyRequester = tell;
    }
  });
});
