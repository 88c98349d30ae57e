/**
 * Member invitations through /api/messages (README "Member invitations", SECURITY.md): the form's
 * userType, who may decide a Member request, and what the Graph sandbox receives.
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, BotHarness, cardOf, cardText, REQUESTER, chatsWith } from '../support/botHarness';
import { randomUUID } from 'node:crypto';
import { invitationsFor, seedDirectoryGroup, seedDirectoryUser, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const [ANNA] = APPROVERS as [TeamsPerson, TeamsPerson];
/** A member approver (MEMBER_APPROVER_IDS), in no other list. */
const MIA: TeamsPerson = { aadObjectId: '55555555-5555-4555-8555-555555555555', name: 'Mia Memberapprover' };

const MEMBER_WARNING = /MEMBER invitation: this person will get the same access as an employee/;

describe('member invitations (bot over /api/messages)', () => {
  let bot: BotHarness;
  let guestsOnly: BotHarness;

  before(async () => {
    bot = await BotHarness.start({ env: { MEMBER_APPROVER_IDS: ` {${MIA.aadObjectId.toUpperCase()}} ` } });
    guestsOnly = await BotHarness.start();
  });
  after(async () => {
    await bot?.stop();
    await guestsOnly?.stop();
  });

  const fields = (email: string, extra: Record<string, unknown> = {}) => ({
    email,
    displayName: 'Max Member',
    justification: 'Joins as a contractor for a year',
    sendInvitationMessage: 'false',
    ...extra,
  });

  /** The approval card `person` received in their 1:1 chat for this request. */
  function approvalCardOf(harness: BotHarness, person: TeamsPerson, requestId: string): any {
    // The chat the bot opened for them, or their own (a stored conversation reference, once they have used the bot).
    const chats = harness.connector.calls
      .filter((c) => c.operation === 'createConversation' && (c.body.members as Array<{ id: string }>)[0]?.id === person.aadObjectId)
      .map((c) => c.conversationId)
      .concat(chatsWith(harness.connector, person));
    const sent = chats.flatMap((id) => harness.connector.messagesIn(id)).find((c) => cardText(cardOf(c)).includes(requestId));
    assert.ok(sent, `${person.name} received the approval card of ${requestId}`);
    return cardOf(sent);
  }

  function inputIds(card: unknown): string[] {
    const ids: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') ids.push(o.id);
        Object.values(o).forEach(walk);
      }
    };
    walk(card);
    return ids;
  }

  it('with MEMBER_APPROVER_IDS set, the form offers userType: Guest by default, or Member', async () => {
    const { replies } = await bot.say(REQUESTER, 'request');
    const form = cardOf(replies[0]!);
    assert.ok(inputIds(form).includes('userType'));
    const choice = JSON.stringify(form);
    assert.match(choice, /"id":"userType"[^}]*"value":"Guest"/);
    assert.match(choice, /"value":"Member"/);
    assert.match(cardText(form), /same access as an employee/);
  });

  it('a Member request approved by a member approver reaches Graph with invitedUserType "Member"; every approver saw the warning, only the member approver the buttons', async () => {
    const email = uniqueGuestEmail();
    const { answer, requestId } = await bot.submit(REQUESTER, fields(email, { userType: 'Member' }));
    assert.match(cardText(cardOf(answer)), /Invite as\nMember/, "the requester's card shows the type");

    const ordinary = approvalCardOf(bot, ANNA, requestId);
    assert.match(cardText(ordinary), MEMBER_WARNING);
    assert.match(cardText(ordinary), /Only the member approvers can decide/);
    assert.doesNotMatch(JSON.stringify(ordinary), /"verb":"approve"/, 'no buttons for an ordinary approver');
    const member = approvalCardOf(bot, MIA, requestId);
    assert.match(cardText(member), MEMBER_WARNING);
    assert.match(JSON.stringify(member), /"verb":"approve"/);

    const decided = await bot.invoke(MIA, 'approve', { requestId });
    assert.equal(decided.status, 200);
    assert.match(cardText(cardOf(decided)), /Approved by Mia Memberapprover/);
    await bot.idle();
    const calls = await invitationsFor(email);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.body.invitedUserType, 'Member');
    assert.equal((await bot.app.workflow.store.get(requestId))?.value.status, 'Invited');
    const trail = await bot.app.workflow.store.listAudit(requestId);
    assert.equal(trail.find((e) => e.action === 'status:Approved')?.detail, 'Member invitation');

    const { replies } = await bot.say(REQUESTER, 'my requests');
    assert.match(cardText(cardOf(replies[0]!)), new RegExp(`${requestId} .*· Member`));
  });

  it("an ordinary approver's approve of a Member request is refused, shown read-only with who may decide, and nothing reaches Graph", async () => {
    const email = uniqueGuestEmail();
    const { requestId } = await bot.submit(REQUESTER, fields(email, { userType: 'Member' }));
    const answer = await bot.invoke(ANNA, 'approve', { requestId });
    assert.equal(answer.status, 200);
    const card = cardOf(answer);
    assert.match(cardText(card), /Only the member approvers can decide this Member invitation/);
    assert.doesNotMatch(JSON.stringify(card), /"verb":"approve"/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))?.value.status, 'Pending');
    assert.deepEqual(await invitationsFor(email), []);
  });

  it('a member approver cannot approve their own Member request', async () => {
    const email = uniqueGuestEmail();
    const { requestId } = await bot.submit(MIA, fields(email, { userType: 'Member' }));
    const answer = await bot.invoke(MIA, 'approve', { requestId });
    assert.match(cardText(cardOf(answer)), /can't decide on your own request/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))?.value.status, 'Pending');
    assert.deepEqual(await invitationsFor(email), []);
  });

  it('a Guest request still works for ordinary approvers, invited as Guest', async () => {
    const email = uniqueGuestEmail();
    const { requestId } = await bot.submit(REQUESTER, fields(email, { userType: 'Guest' }));
    assert.doesNotMatch(cardText(approvalCardOf(bot, ANNA, requestId)), MEMBER_WARNING);
    const answer = await bot.invoke(ANNA, 'approve', { requestId });
    assert.match(cardText(cardOf(answer)), /Approved by Anna Approver/);
    await bot.idle();
    const calls = await invitationsFor(email);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.body.invitedUserType, 'Guest');
  });

  it('a userType other than Guest or Member is refused next to the field, and nothing is stored', async () => {
    const email = uniqueGuestEmail();
    const answer = await bot.invoke(REQUESTER, 'submitRequest', fields(email, { userType: 'GlobalAdmin' }));
    assert.equal(answer.status, 200);
    const form = cardOf(answer);
    // The problem sits right after the userType input.
    const body = form.body as Array<{ id?: string; text?: string; color?: string }>;
    const at = body.findIndex((element) => element.id === 'userType');
    assert.ok(at >= 0, 'the form is shown again with the userType input');
    assert.equal(body[at + 1]?.color, 'Attention');
    assert.match(cardText(body[at + 1]), /Choose Guest or Member/);
    assert.equal(
      (await bot.app.workflow.store.listByRequester(REQUESTER.aadObjectId, 50)).items.some((r) => r.guest.email === email),
      false,
    );
  });

  it('without the settings the form has no userType, and a forged "Member" is invited as Guest', async () => {
    const { replies } = await guestsOnly.say(REQUESTER, 'request');
    assert.equal(inputIds(cardOf(replies[0]!)).includes('userType'), false);
    const email = uniqueGuestEmail();
    const { requestId } = await guestsOnly.submit(REQUESTER, fields(email, { userType: 'Member' }));
    assert.doesNotMatch(cardText(approvalCardOf(guestsOnly, ANNA, requestId)), MEMBER_WARNING);
    await guestsOnly.invoke(ANNA, 'approve', { requestId });
    await guestsOnly.idle();
    const calls = await invitationsFor(email);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.body.invitedUserType, 'Guest');
  });

  describe('MEMBER_APPROVER_GROUP_ID', () => {
    const GARY: TeamsPerson = { aadObjectId: randomUUID(), name: 'Gary Groupmember' };
    let grouped: BotHarness;
    before(async () => {
      await seedDirectoryUser({
        id: GARY.aadObjectId,
        displayName: GARY.name,
        userPrincipalName: `gary-${GARY.aadObjectId.slice(0, 8)}@contoso.example`,
        userType: 'Member',
      });
      const group = await seedDirectoryGroup({ displayName: 'Member approvers', memberIds: [GARY.aadObjectId] });
      grouped = await BotHarness.start({ env: { MEMBER_APPROVER_GROUP_ID: group.id } });
    });
    after(async () => {
      await grouped?.stop();
    });

    it('a member of the group gets the Member request with the buttons and approves it as Member; an ordinary approver cannot', async () => {
      const { replies } = await grouped.say(REQUESTER, 'request');
      assert.ok(inputIds(cardOf(replies[0]!)).includes('userType'), 'the group alone turns the feature on');
      const email = uniqueGuestEmail();
      const { requestId } = await grouped.submit(REQUESTER, fields(email, { userType: 'Member' }));
      assert.match(JSON.stringify(approvalCardOf(grouped, GARY, requestId)), /"verb":"approve"/);
      assert.match(cardText(cardOf(await grouped.invoke(ANNA, 'approve', { requestId }))), /Only the member approvers/);
      assert.match(cardText(cardOf(await grouped.invoke(GARY, 'approve', { requestId }))), /Approved by Gary Groupmember/);
      await grouped.idle();
      const calls = await invitationsFor(email);
      assert.deepEqual(
        calls.map((c) => c.body.invitedUserType),
        ['Member'],
      );
    });
  });
});
