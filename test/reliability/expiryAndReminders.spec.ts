/**
 * Time-driven work of the sweep, with an injected clock: approvers are reminded once after
 * REMINDER_HOURS, and requests still Pending after REQUEST_EXPIRY_DAYS expire (requester told,
 * approval cards updated). Requests too young are left alone.
 */
import { strict as assert } from 'node:assert';
import type { Clock } from '../../src/domain/ports';
import { APPROVERS, BotHarness, chatsWith, cardOf, REQUESTER, requestIdIn } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { requestStoreTableNames } from '../../src/adapters/storage/tableRequestStore';
import { RequestLog } from '../adapters/storage/storageTestKit';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('reliability: expiry and reminders (injected clock)', function () {
  this.timeout(30_000);
  let offset = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offset) };
  let bot: BotHarness;
  before(async () => {
    bot = await BotHarness.start({ overrides: { clock }, env: { REQUEST_EXPIRY_DAYS: '14', REMINDER_HOURS: '24' } });
    await bot.idle();
  });
  after(async () => {
    await bot?.stop();
  });

  const submit = async () => {
    const requestId = requestIdIn(
      cardOf(await bot.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Long wait' })),
    );
    await bot.idle();
    return requestId;
  };
  const reminders = (requestId: string) =>
    APPROVERS.flatMap((a) => chatsWith(bot.connector, a).flatMap((chat) => bot.connector.messagesIn(chat))).filter(
      (c) => String(c.body.text ?? '').includes(`Reminder`) && String(c.body.text).includes(requestId),
    );
  const status = async (id: string) => (await bot.app.workflow.store.get(id))!.value;

  it('reminds every approver once after REMINDER_HOURS, then expires after REQUEST_EXPIRY_DAYS', async () => {
    const old = await submit();
    offset = 23 * HOUR;
    await bot.app.sweep();
    assert.equal(reminders(old).length, 0, 'not before REMINDER_HOURS');

    offset = 25 * HOUR;
    await bot.app.sweep();
    assert.equal(reminders(old).length, APPROVERS.length, 'one reminder in each approver chat');
    assert.ok((await status(old)).reminderSentAt);
    await bot.app.sweep();
    assert.equal(reminders(old).length, APPROVERS.length, 'reminded once only');

    offset = 14 * DAY + 12 * HOUR;
    const young = await submit();
    offset = 15 * DAY;
    const before = bot.connector.calls.length;
    await bot.app.sweep();
    await bot.idle();

    const expired = await status(old);
    assert.equal(expired.status, 'Expired');
    assert.ok(expired.requesterNotifiedAt, 'the requester is told');
    const told = bot.connector.messagesIn(`a:personal-${REQUESTER.aadObjectId}`).filter((c) => bot.connector.calls.indexOf(c) >= before);
    assert.equal(told.length, 1);
    assert.match(String(told[0]!.body.summary ?? ''), /expired/i);
    const cards = (await bot.app.workflow.store.listApprovalMessages(old)).map((m) => m.activityId);
    const updates = bot.connector.calls.filter(
      (c) => c.operation === 'updateActivity' && bot.connector.calls.indexOf(c) >= before && cards.includes(c.activityId!),
    );
    assert.equal(updates.length, APPROVERS.length, 'every approval card shows it');
    const audit = await bot.app.workflow.store.listAudit(old);
    assert.equal(audit.filter((e) => e.from === 'Pending' && e.to === 'Expired').length, 1);

    const stillPending = await status(young);
    assert.equal(stillPending.status, 'Pending', 'a request younger than the expiry stays');
    assert.equal(stillPending.reminderSentAt, undefined, 'and is not reminded before REMINDER_HOURS');

    // Deciding an expired request changes nothing.
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId: old });
    await bot.idle();
    assert.equal((await status(old)).status, 'Expired');
  });

  it('two instances sweeping at the same instant remind each approver once', async () => {
    offset = 0;
    const other = await BotHarness.start({ overrides: { clock }, tablePrefix: bot.tablePrefix, connector: bot.connector });
    try {
      const requestId = await submit();
      offset = 30 * HOUR;
      await Promise.all([bot.app.sweep(), other.app.sweep(), bot.app.sweep(), other.app.sweep()]);
      await Promise.all([bot.idle(), other.idle()]);
      assert.equal(reminders(requestId).length, APPROVERS.length);
    } finally {
      await other.stop();
      offset = 0;
    }
  });

  it('one sweep lists the open requests once, for the outbox, expiry, reminders, resumed fan-out, redelivery and team steps together', async () => {
    const log = new RequestLog();
    const counted = await BotHarness.start({
      overrides: { clock, storageClientOptions: { additionalPolicies: [{ policy: log.policy, position: 'perCall' }] } },
      env: { REQUEST_EXPIRY_DAYS: '14', REMINDER_HOURS: '24' },
    });
    try {
      offset = 0;
      const requestId = requestIdIn(
        cardOf(await counted.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Long wait' })),
      );
      await counted.idle();
      offset = 25 * HOUR;
      log.clear();
      await counted.app.sweep();
      assert.ok((await counted.app.workflow.store.get(requestId))!.value.reminderSentAt, 'the sweep did its work');
      const { index } = requestStoreTableNames(counted.tablePrefix);
      const listings = log.seen.filter((r) => r.table === index && r.method === 'GET');
      assert.equal(listings.length, 1, 'one listing of the open index, and no other index read');
      assert.match(decodeURIComponent(listings[0]!.url), /PartitionKey eq 'open'/);
    } finally {
      offset = 0;
      await counted.stop();
    }
  });
});
