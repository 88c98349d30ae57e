/**
 * Requests are private: made in the requester's 1:1 chat, never in a channel, where the guest's
 * details and later the redeem link would reach everyone.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { cardActionActivity, messageActivity } from '../../tools/teamsActivities';
import { REQUESTER, useBotHarness } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { botAddedToTeam, type TestTeam } from '../support/teamActivities';

describe('requests stay private', () => {
  const bot = useBotHarness();
  const team: TestTeam = { id: `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`, aadGroupId: randomUUID(), name: 'Contoso Sales' };

  it('a request form submitted in a channel is refused and nothing is stored', async () => {
    const activity = cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', {
      email: uniqueGuestEmail(),
      justification: 'From a channel',
    });
    const inChannel = {
      ...activity,
      conversation: { conversationType: 'channel', isGroup: true, id: `${team.id};messageid=1` },
      channelData: { ...(activity.channelData as object), team: { id: team.id, aadGroupId: team.aadGroupId }, channel: { id: team.id } },
    };
    const before = (await bot.app.workflow.store.listByRequester(REQUESTER.aadObjectId, 100)).items.length;
    const answer = await bot.post(inChannel);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(answer.body.value, /personal chat/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.listByRequester(REQUESTER.aadObjectId, 100)).items.length, before);
  });

  it('the help card’s "new request" button in a channel answers with the same refusal, not a form', async () => {
    const activity = cardActionActivity(REQUESTER, bot.connector.url, 'openRequestForm', {});
    const answer = await bot.post({
      ...activity,
      conversation: { conversationType: 'channel', isGroup: true, id: `${team.id};messageid=2` },
      channelData: { ...(activity.channelData as object), team: { id: team.id, aadGroupId: team.aadGroupId }, channel: { id: team.id } },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(answer.body.value, /personal chat/);
  });

  it('"request" typed in a group chat sends the form to the personal chat, not into the group', async () => {
    const activity = messageActivity(REQUESTER, bot.connector.url, 'request');
    const groupChatId = `19:${randomUUID().replace(/-/g, '')}@thread.v2`;
    const before = bot.connector.calls.length;
    assert.equal(
      (await bot.post({ ...activity, conversation: { conversationType: 'groupChat', isGroup: true, id: groupChatId } })).status,
      200,
    );
    await bot.idle();
    const sent = bot.connector.calls.slice(before).filter((c) => c.operation !== 'createConversation');
    const formIn = (id: string) => sent.some((c) => c.conversationId === id && JSON.stringify(c.body).includes('"verb":"submitRequest"'));
    assert.ok(formIn(bot.connector.conversationWith(REQUESTER.aadObjectId)), 'the form is in the personal chat');
    assert.ok(!formIn(groupChatId), 'no form in the group chat');
  });

  it('adding the bot to a team posts no request button in the channel', async () => {
    const before = bot.connector.calls.length;
    const answer = await bot.post(botAddedToTeam(REQUESTER, bot.connector.url, team));
    assert.equal(answer.status, 200);
    await bot.idle();
    const posted = bot.connector.calls
      .slice(before)
      .filter((c) => c.operation === 'replyToActivity' || c.operation === 'sendToConversation');
    assert.ok(posted.every((c) => !JSON.stringify(c.body).includes('openRequestForm')));
  });
});
