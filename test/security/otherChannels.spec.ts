/**
 * Only Teams: an activity whose channelId is not exactly `msteams` (Direct Line, Web Chat, the
 * emulator: their clients choose their own `from`) changes nothing. Nothing stored, no Graph
 * call, no state change, nothing posted back; the refusal is a warning in the log.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { APPROVERS, REQUESTER, useBotHarness } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import { cardActionActivity, messageActivity, type TeamsPerson } from '../support/teamsActivities';

const ANNA = APPROVERS[0]!;
const CHANNELS = [
  'directline',
  'webchat',
  'emulator',
  'MSTEAMS',
  'MsTeams',
  'msteams ',
  ' msteams',
  'msteams\u200b',
  'teams',
  'slack',
  'test',
];

describe('activities from channels other than Teams', function () {
  this.timeout(60_000);
  const bot = useBotHarness();

  function on(channelId: string | undefined, activity: Record<string, unknown>): Record<string, unknown> {
    const copy: Record<string, unknown> = { ...activity, channelId };
    if (channelId === undefined) delete copy.channelId;
    return copy;
  }

  /** A person nobody has seen yet, so "nothing stored" is a listing that stays empty. */
  function stranger(): TeamsPerson {
    return { aadObjectId: randomUUID(), name: 'Dora Directline' };
  }

  async function storedFor(person: TeamsPerson): Promise<number> {
    return (await bot.app.workflow.store.listByRequester(person.aadObjectId, 10)).items.length;
  }

  it('an approve sent through Direct Line (or any other channel) does not invite, decide or audit', async () => {
    const email = uniqueGuestEmail();
    const { requestId } = await bot.submit(REQUESTER, { email, justification: 'Other channels' });
    const trail = (await bot.app.workflow.store.listAudit(requestId)).length;
    for (const channelId of CHANNELS) {
      const answer = await bot.post(on(channelId, cardActionActivity(ANNA, bot.connector.url, 'approve', { requestId })));
      assert.ok(answer.status < 500, `${JSON.stringify(channelId)}: no 5xx`);
      if (answer.status === 200) {
        assert.equal(answer.body.type, 'application/vnd.microsoft.activity.message', `${JSON.stringify(channelId)}: a refusal text`);
        assert.match(answer.body.value, /only in Microsoft Teams/);
      }
    }
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0, 'no Graph invitation');
    assert.equal((await bot.app.workflow.store.listAudit(requestId)).length, trail, 'no audit entry under the request');
  });

  it('a submit from another channel stores nothing and posts nothing', async () => {
    const before = bot.connector.calls.length;
    for (const channelId of [...CHANNELS, undefined, '']) {
      const person = stranger();
      const answer = await bot.post(
        on(
          channelId,
          cardActionActivity(person, bot.connector.url, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Via Web Chat' }),
        ),
      );
      assert.ok(answer.status < 500, `${JSON.stringify(channelId)}: no 5xx`);
      await bot.idle();
      assert.equal(await storedFor(person), 0, `${JSON.stringify(channelId)}: nothing stored`);
    }
    assert.equal(bot.connector.calls.length, before, 'nothing posted to any conversation');
  });

  it('commands from another channel get no answer and start nothing', async () => {
    const before = bot.connector.calls.length;
    for (const channelId of CHANNELS) {
      for (const text of ['request', 'my requests', 'pending', 'help']) {
        const answer = await bot.post(on(channelId, messageActivity(ANNA, bot.connector.url, text)));
        assert.ok(answer.status < 500);
      }
    }
    await bot.idle();
    assert.equal(bot.connector.calls.length, before, 'no reply: the bot posts nothing to a service URL such a client names');
  });

  it('each refusal is logged as a warning naming the activity and the channel', async () => {
    const activity = on('directline', cardActionActivity(ANNA, bot.connector.url, 'approve', { requestId: 'GR-ZZZZZZZZZ1' }));
    await bot.post(activity);
    const line = bot.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.activityId === activity.id && l.channel === 'directline');
    assert.ok(line, 'a log line with the activity id and channel');
    assert.equal(line.level, 40, 'a warning');
    assert.equal(await bot.app.workflow.store.listAudit('GR-ZZZZZZZZZ1').then((e) => e.length), 0, 'nothing stored, not even an audit row');
  });

  it('property: any channelId but "msteams" changes nothing, whatever the verb', async () => {
    const email = uniqueGuestEmail();
    const { requestId } = await bot.submit(REQUESTER, { email, justification: 'Other channels, property' });
    const verbs = ['approve', 'deny', 'cancelRequest', 'retryInvitation', 'submitRequest'];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s !== 'msteams'),
        fc.constantFrom(...verbs),
        fc.constantFrom<TeamsPerson>(ANNA, REQUESTER),
        async (channelId, verb, person) => {
          const answer = await bot.post(
            on(
              channelId,
              cardActionActivity(person, bot.connector.url, verb, {
                requestId,
                reason: 'No',
                email: uniqueGuestEmail(),
                justification: 'x',
              }),
            ),
          );
          assert.ok(answer.status < 500);
        },
      ),
      { numRuns: 40 },
    );
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0);
  });

  it('control: the same approve from Teams does invite', async () => {
    const email = uniqueGuestEmail();
    const { requestId } = await bot.submit(REQUESTER, { email, justification: 'Other channels, control' });
    await bot.post(on('msteams', cardActionActivity(ANNA, bot.connector.url, 'approve', { requestId })));
    await bot.idle();
    assert.equal((await invitationsFor(email)).length, 1);
  });
});
