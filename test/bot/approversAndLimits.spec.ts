/**
 * APPROVER_GROUP_ID: members of an Entra group (read through Graph) approve alongside APPROVER_IDS.
 * Per-requester limits: one person cannot flood the approvers.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { APPROVERS, BotHarness, cardOf, cardText, OUTSIDER, REQUESTER, requestIdIn, useBotHarness } from '../support/botHarness';
import { invitationsFor, seedDirectoryGroup, seedDirectoryUser, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

describe('approver group', () => {
  let bot: BotHarness;
  const GROUP_MEMBER: TeamsPerson = { aadObjectId: randomUUID(), name: 'Gary Groupmember' };

  before(async () => {
    await seedDirectoryUser({
      id: GROUP_MEMBER.aadObjectId,
      displayName: GROUP_MEMBER.name,
      userPrincipalName: `gary-${GROUP_MEMBER.aadObjectId.slice(0, 8)}@contoso.example`,
      userType: 'Member',
    });
    const group = await seedDirectoryGroup({ displayName: 'Guest approvers', memberIds: [GROUP_MEMBER.aadObjectId] });
    bot = await BotHarness.start({ env: { APPROVER_GROUP_ID: group.id } });
  });
  after(async () => {
    await bot?.stop();
  });

  it('a member of the group receives the approval card and can approve', async () => {
    const email = uniqueGuestEmail();
    const answer = await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Agency' });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    const approvers = (await bot.app.workflow.store.listApprovalMessages(requestId)).map((m) => m.approverId.toLowerCase());
    assert.ok(approvers.includes(GROUP_MEMBER.aadObjectId.toLowerCase()), 'group member got a card');
    assert.ok(approvers.includes(APPROVERS[0]!.aadObjectId.toLowerCase()), 'configured approvers still get theirs');
    const approved = await bot.invoke(GROUP_MEMBER, 'approve', { requestId });
    assert.match(cardText(cardOf(approved)), /Approved by Gary Groupmember/);
    await bot.idle();
    assert.equal((await invitationsFor(email)).length, 1);
  });

  it('someone outside both the list and the group still cannot decide', async () => {
    const answer = await bot.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Agency' });
    const requestId = requestIdIn(cardOf(answer));
    const refused = await bot.invoke(OUTSIDER, 'approve', { requestId });
    assert.match(refused.body.value, /Only approvers/);
  });
});

describe('per-requester limits', () => {
  const bot = useBotHarness({ env: { MAX_PENDING_PER_REQUESTER: '2', MAX_REQUESTS_PER_DAY: '3' } });
  const PROLIFIC: TeamsPerson = { aadObjectId: randomUUID(), name: 'Pat Prolific' };

  const submit = (email = uniqueGuestEmail()) => bot.invoke(PROLIFIC, 'submitRequest', { email, justification: 'Lots of partners' });

  it('refuses a request over the pending limit with a clear message, keeping what was typed and storing nothing', async () => {
    const first = requestIdIn(cardOf(await submit()));
    requestIdIn(cardOf(await submit()));
    const email = uniqueGuestEmail();
    const third = await submit(email);
    const text = cardText(cardOf(third));
    assert.match(text, /already have 2 requests waiting/);
    assert.ok(text.includes(email), 'entered email kept');
    await bot.idle();
    assert.equal((await bot.app.workflow.store.listByRequester(PROLIFIC.aadObjectId, 10)).items.length, 2);

    // Once one is decided, there is room again, until the daily limit.
    await bot.invoke(APPROVERS[0]!, 'deny', { requestId: first, reason: 'Not now' });
    await bot.idle();
    const again = await submit();
    assert.match(cardText(cardOf(again)), /Pending approval/);
    await bot.invoke(APPROVERS[0]!, 'deny', { requestId: requestIdIn(cardOf(again)), reason: 'Not now either' });
    await bot.idle();
    const overDaily = cardText(cardOf(await submit()));
    assert.match(overDaily, /3 requests in the last 24 hours/);
  });
});
