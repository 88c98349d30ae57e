/**
 * Private data only in private: in a channel or a group chat, lists and card verbs that would show
 * a guest's details answer with a pointer; the details go to the person's 1:1 chat with the bot.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { ConnectorCall } from '../../tools/fakeConnector';
import { APPROVERS, BotHarness, cardOf, REQUESTER, requestIdIn } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { inChannel, inGroupChat } from '../support/teamActivities';
import { cardActionActivity, messageActivity, type TeamsPerson } from '../support/teamsActivities';

const ANNA = APPROVERS[0]!;
const TEAM_CHANNEL = '19:teamchannel0000000000000000000000@thread.tacv2';

type Place = { name: string; id: string; move: (activity: Record<string, unknown>) => Record<string, unknown> };

const PLACES: Place[] = [
  { name: 'a team channel', id: TEAM_CHANNEL, move: (a) => inChannel(a, TEAM_CHANNEL) },
  (() => {
    const id = `19:${randomUUID().replace(/-/g, '')}@thread.v2`;
    return { name: 'a group chat', id, move: (a: Record<string, unknown>) => inGroupChat(a, id) };
  })(),
];

describe('guest details only in private chats', function () {
  this.timeout(60_000);
  let bot: BotHarness;
  let email: string;
  let guest: string;
  let requestId: string;

  before(async () => {
    bot = await BotHarness.start();
    email = uniqueGuestEmail();
    ({ requestId } = await bot.submit(REQUESTER, { email, displayName: 'Sharon Sharedchat', justification: 'Shared chat check' }));
    // Cards escape the address's dots: its local part is what to look for.
    guest = email.split('@')[0]!;
  });
  after(async () => {
    await bot?.stop();
  });

  /** Everything the bot posted into `place` (its conversation id, or a thread of it). */
  function postedIn(calls: readonly ConnectorCall[], place: Place): string {
    return calls
      .filter((c) => decodeURIComponent(c.conversationId).split(';')[0] === place.id.split(';')[0])
      .map((c) => JSON.stringify(c.body))
      .join('\n');
  }

  function privately(calls: readonly ConnectorCall[], person: TeamsPerson): string {
    const chat = bot.connector.conversationWith(person.aadObjectId);
    return calls
      .filter((c) => c.conversationId === chat && c.operation !== 'createConversation')
      .map((c) => JSON.stringify(c.body))
      .join('\n');
  }

  const LISTS: Array<[TeamsPerson, string]> = [
    [ANNA, 'pending'],
    [ANNA, 'offen'],
    [REQUESTER, 'my requests'],
    [REQUESTER, 'meine anfragen'],
  ];

  for (const place of PLACES) {
    for (const [person, command] of LISTS) {
      it(`"${command}" typed in ${place.name}: only a pointer there, the list in the 1:1 chat`, async () => {
        const before = bot.connector.calls.length;
        const answer = await bot.post(place.move(messageActivity(person, bot.connector.url, `<at>Guest Access</at> ${command}`)));
        assert.equal(answer.status, 200);
        await bot.idle();
        const calls = bot.connector.calls.slice(before);
        const shared = postedIn(calls, place);
        assert.ok(shared.length > 0, 'the conversation gets an answer');
        assert.ok(!shared.includes(guest) && !shared.includes(requestId), `no guest detail in ${place.name}: ${shared.slice(0, 300)}`);
        assert.ok(!shared.includes('"attachments":[{'), 'no card in the shared conversation');
        assert.match(shared, /private chat/);
        assert.ok(privately(calls, person).includes(guest), 'the list arrives in the 1:1 chat');
      });
    }

    it(`the "more" button of my requests clicked in ${place.name}: a pointer, the page in the 1:1 chat`, async () => {
      const before = bot.connector.calls.length;
      const answer = await bot.post(place.move(cardActionActivity(REQUESTER, bot.connector.url, 'myRequests', {})));
      assert.equal(answer.status, 200);
      assert.equal(answer.body.type, 'application/vnd.microsoft.activity.message', 'a text, not a card');
      assert.ok(!JSON.stringify(answer.body).includes(guest));
      await bot.idle();
      assert.ok(privately(bot.connector.calls.slice(before), REQUESTER).includes(guest), 'the page arrives in the 1:1 chat');
    });

    it(`cancel, retry and refresh clicked in ${place.name} answer with a pointer and change nothing`, async () => {
      for (const [person, verb] of [
        [REQUESTER, 'cancelRequest'],
        [ANNA, 'retryInvitation'],
        [ANNA, 'refreshApproval'],
        [REQUESTER, 'refreshApproval'],
        [ANNA, 'deny'],
      ] as Array<[TeamsPerson, string]>) {
        const answer = await bot.post(place.move(cardActionActivity(person, bot.connector.url, verb, { requestId, reason: 'not here' })));
        assert.equal(answer.status, 200);
        assert.equal(answer.body.type, 'application/vnd.microsoft.activity.message', `${verb}: a text, not a card`);
        assert.ok(!JSON.stringify(answer.body).includes(guest), `${verb}: no guest detail`);
        assert.match(answer.body.value, /private chat/);
      }
      await bot.idle();
      assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    });
  }

  it('control: in the 1:1 chat the same commands answer right there', async () => {
    const { replies } = await bot.say(ANNA, 'pending');
    assert.ok(replies.some((r) => JSON.stringify(r.body).includes(guest)));
    assert.equal(requestIdIn(cardOf(await bot.invoke(REQUESTER, 'refreshApproval', { requestId }))), requestId);
  });
});
