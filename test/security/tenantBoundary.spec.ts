/**
 * The tenant boundary (docs/protocol.md §3): with TENANT_ID set, an activity whose channelData.tenant.id
 * is another tenant gets no card and changes nothing; an invoke is answered 200 with a message.
 * Even a person whose object id equals a configured approver's is refused from another tenant.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, cardOf, cardText, REQUESTER, requestIdIn, useBotHarness } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import { cardActionActivity, installActivity, messageActivity, TEST_TENANT, type TeamsPerson } from '../support/teamsActivities';
import { sideEffects } from './support';

const OTHER_TENANT = '9c3b1a2d-5e4f-4a6b-8c7d-0e1f2a3b4c5d';
const [ANNA] = APPROVERS as [TeamsPerson];
const MALLORY: TeamsPerson = { aadObjectId: '66666666-6666-4666-8666-666666666666', name: 'Mallory Other', tenantId: OTHER_TENANT };
/** Anna's object id, but signed in to another tenant. */
const ANNA_ELSEWHERE: TeamsPerson = { ...ANNA, tenantId: OTHER_TENANT };

const NOT_OUR_TENANT = /only the organisation that installed it/;

describe('tenant boundary', () => {
  const bot = useBotHarness();

  const ids = [REQUESTER.aadObjectId, MALLORY.aadObjectId, ANNA.aadObjectId];
  const validForm = (email = uniqueGuestEmail()) => ({
    email,
    displayName: 'Gina Guest',
    justification: 'Vendor onboarding',
    sendInvitationMessage: 'false',
  });

  /** Posts `activity`; asserts nothing but the refusal message happened. Returns the HTTP answer. */
  async function expectRefused(activity: Record<string, unknown>) {
    const before = await sideEffects(bot, ids);
    const logMark = bot.logLines.length;
    const answer = await bot.post(activity);
    const after = await sideEffects(bot, ids);
    assert.ok(answer.status === 200 || answer.status === 403, `status ${answer.status}`);
    assert.equal(after.requests, before.requests, 'nothing stored');
    assert.equal(after.invitations, before.invitations, 'no Graph call');
    const sent = bot.connector.calls.slice(before.connectorCalls);
    for (const call of sent) {
      assert.equal(call.operation, 'replyToActivity', `only a reply, not ${call.operation}`);
      assert.equal(call.body.attachments, undefined, 'no card');
      assert.match(String(call.body.text), NOT_OUR_TENANT);
    }
    assert.ok(
      bot.logLines.slice(logMark).some((l) => /activity from another tenant refused/.test(l)),
      'refusal logged',
    );
    return { answer, sent };
  }

  it('a message from another tenant gets the refusal text, no card', async () => {
    const { sent } = await expectRefused(messageActivity(MALLORY, bot.connector.url, 'request'));
    assert.equal(sent.length, 1);
  });

  it('an invoke from another tenant is answered 200 with a message and stores nothing', async () => {
    const { answer, sent } = await expectRefused(cardActionActivity(MALLORY, bot.connector.url, 'submitRequest', validForm()));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(answer.body.value, NOT_OUR_TENANT);
    assert.equal(sent.length, 0);
  });

  it("an approver's object id from another tenant cannot decide: the request stays Pending, no Graph call", async () => {
    const email = uniqueGuestEmail();
    const submitted = await bot.invoke(REQUESTER, 'submitRequest', validForm(email));
    const requestId = requestIdIn(cardOf(submitted));
    await bot.idle();
    for (const verb of ['approve', 'deny', 'retryInvitation', 'cancelRequest']) {
      const { answer } = await expectRefused(cardActionActivity(ANNA_ELSEWHERE, bot.connector.url, verb, { requestId, reason: 'no' }));
      assert.match(answer.body.value, NOT_OUR_TENANT);
    }
    await expectRefused(messageActivity(ANNA_ELSEWHERE, bot.connector.url, 'pending'));
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0);
    assert.ok(
      !(await bot.app.workflow.store.listAudit(requestId)).some((e) => e.actor.id === ANNA.aadObjectId),
      'never reached the domain',
    );
  });

  it('channelData.tenant.id is what counts: a matching conversation.tenantId does not let another tenant in', async () => {
    const activity = cardActionActivity(MALLORY, bot.connector.url, 'submitRequest', validForm());
    (activity.conversation as Record<string, unknown>).tenantId = TEST_TENANT;
    await expectRefused(activity);
  });

  it('an activity naming no tenant at all is refused', async () => {
    const activity = cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', validForm());
    activity.channelData = {};
    delete (activity.conversation as Record<string, unknown>).tenantId;
    await expectRefused(activity);
    const other = cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', validForm());
    other.channelData = { tenant: { id: '' } };
    (other.conversation as Record<string, unknown>).tenantId = '';
    await expectRefused(other);
  });

  it('installing the bot from another tenant sends no welcome card', async () => {
    await expectRefused(installActivity(MALLORY, bot.connector.url));
  });

  it('control: the same activities from our tenant work', async () => {
    const before = await sideEffects(bot, [REQUESTER.aadObjectId]);
    const answer = await bot.invoke(REQUESTER, 'submitRequest', validForm());
    assert.equal(answer.status, 200);
    assert.match(cardText(cardOf(answer)), /Pending approval/);
    assert.equal((await sideEffects(bot, [REQUESTER.aadObjectId])).requests, before.requests + 1);
    // Tenant ids are GUIDs: a different letter case is the same tenant.
    const upper = cardActionActivity({ ...REQUESTER, tenantId: TEST_TENANT.toUpperCase() }, bot.connector.url, 'openRequestForm', {});
    assert.match(cardText(cardOf(await bot.post(upper))), /email/i);
  });
});
