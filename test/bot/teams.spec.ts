/**
 * "Add to a team": the bot learns the teams it is installed in, the form offers the ones the
 * requester is in, and after the invitation the guest joins the chosen team's Microsoft 365 group
 * (POST /groups/{id}/members/$ref on the Graph sandbox); the requester is told how it went.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { GuestRequest } from '../../src/domain/guestRequest';
import { APPROVERS, BotHarness, cardOf, cardText, requestIdIn } from '../support/botHarness';
import { seedDirectoryGroup, seedDirectoryUser, uniqueGuestEmail } from '../support/graphSandboxClient';
import { testGraphBaseUrl } from '../support/env';
import { botAddedToTeam, botRemovedFromTeam, teamMessage, teamRenamed, type TestTeam } from '../support/teamActivities';
import type { TeamsPerson } from '../support/teamsActivities';

const TINA: TeamsPerson = { aadObjectId: randomUUID(), name: 'Tina Teammate' };
const NINA: TeamsPerson = { aadObjectId: randomUUID(), name: 'Nina Nomember' };

async function groupMemberIds(groupId: string): Promise<string[]> {
  const response = await fetch(`${testGraphBaseUrl()}/groups/${groupId}/members?$select=id`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as { value: Array<{ id: string }> };
  return body.value.map((member) => member.id);
}

/** The Input.ChoiceSet for the team on a form card, if any. */
function teamChoiceSet(card: any): any {
  const found: any[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (node.type === 'Input.ChoiceSet' && node.id === 'teamGroupId') found.push(node);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found[0];
}

describe('add the guest to a team', () => {
  let bot: BotHarness;
  let marketing: TestTeam;
  let finance: TestTeam;

  before(async () => {
    for (const person of [TINA, NINA]) {
      await seedDirectoryUser({
        id: person.aadObjectId,
        displayName: person.name,
        userPrincipalName: `${person.aadObjectId.slice(0, 8)}@contoso.example`,
        userType: 'Member',
      });
    }
    const marketingGroup = await seedDirectoryGroup({ displayName: 'Contoso Marketing', memberIds: [TINA.aadObjectId] });
    const financeGroup = await seedDirectoryGroup({ displayName: 'Contoso Finance', memberIds: [NINA.aadObjectId] });
    marketing = { id: `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`, aadGroupId: marketingGroup.id, name: 'Contoso Marketing' };
    finance = { id: `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`, aadGroupId: financeGroup.id, name: 'Contoso Finance' };
    bot = await BotHarness.start();
    for (const team of [marketing, finance]) {
      const answer = await bot.post(botAddedToTeam(TINA, bot.connector.url, team));
      assert.ok(answer.status < 300, `install in ${team.name}: ${answer.status}`);
    }
  });
  after(async () => {
    await bot?.stop();
  });

  /** Submits through the form and has Anna approve; resolves with the stored request. */
  async function submitAndApprove(person: TeamsPerson, data: Record<string, unknown>): Promise<GuestRequest> {
    const answer = await bot.invoke(person, 'submitRequest', { justification: 'Works on the campaign', ...data });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    await bot.idle();
    return (await bot.app.workflow.store.get(requestId))!.value;
  }

  it('registers a team when the bot is added to it, renames it, and forgets it when removed', async () => {
    const registered = await bot.app.workflow.teams!.list();
    assert.deepEqual(
      registered
        .filter((t) => [marketing.id, finance.id].includes(t.teamId))
        .map((t) => [t.groupId, t.name])
        .sort(),
      [
        [finance.aadGroupId, 'Contoso Finance'],
        [marketing.aadGroupId, 'Contoso Marketing'],
      ].sort(),
    );
    const temporary: TestTeam = { id: `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`, aadGroupId: randomUUID(), name: 'Short-lived' };
    await bot.post(botAddedToTeam(TINA, bot.connector.url, temporary));
    await bot.post(teamRenamed(TINA, bot.connector.url, { ...temporary, name: 'Renamed team' }));
    assert.equal((await bot.app.workflow.teams!.list()).find((t) => t.teamId === temporary.id)?.name, 'Renamed team');
    await bot.post(botRemovedFromTeam(TINA, bot.connector.url, temporary));
    assert.equal(
      (await bot.app.workflow.teams!.list()).find((t) => t.teamId === temporary.id),
      undefined,
    );
  });

  it('the form offers only the teams the requester is a member of, with "Don\'t add to a team" first', async () => {
    const { replies } = await bot.say(TINA, 'request');
    const choices = teamChoiceSet(cardOf(replies[0]!));
    assert.ok(choices, 'the form has the team choice');
    assert.deepEqual(
      choices.choices.map((c: any) => [c.title, c.value]),
      [
        ["Don't add to a team", ''],
        ['Contoso Marketing', marketing.aadGroupId],
      ],
    );
  });

  it('a forged teamGroupId is refused next to the field and nothing is stored', async () => {
    for (const forged of [finance.aadGroupId, randomUUID(), 'not-a-group', "x' or 1 eq 1"]) {
      const answer = await bot.invoke(TINA, 'submitRequest', {
        email: uniqueGuestEmail(),
        justification: 'Forged team',
        teamGroupId: forged,
      });
      const text = cardText(cardOf(answer));
      assert.match(text, /Choose one of the teams in the list/, forged);
      assert.doesNotMatch(text, /GR-[0-9A-Z]{10}/);
    }
    const page = await bot.app.workflow.store.listByRequester(TINA.aadObjectId, 50);
    assert.equal(page.items.filter((r) => r.justification === 'Forged team').length, 0);
  });

  it("approve → invitation → the guest is a member of the team's group, and the requester is told", async () => {
    const email = uniqueGuestEmail();
    const answer = await bot.invoke(TINA, 'submitRequest', {
      email,
      displayName: 'Gina Guest',
      justification: 'Campaign',
      teamGroupId: marketing.aadGroupId,
    });
    const requestId = requestIdIn(cardOf(answer));
    assert.match(cardText(cardOf(answer)), /Add to team\nContoso Marketing/);
    await bot.idle();
    const [approval] = await bot.app.workflow.store.listApprovalMessages(requestId);
    const approvalCard = bot.connector
      .messagesIn(approval!.address.conversationId)
      .map((c) => cardOf(c))
      .find((c) => cardText(c).includes(requestId));
    assert.match(cardText(approvalCard), /Add to team\nContoso Marketing/, 'the approvers see the team');
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    await bot.idle();
    const request = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(request.status, 'Invited');
    assert.equal(request.teamMembership?.status, 'added');
    assert.ok(request.teamMembership?.requesterNotifiedAt);
    assert.ok((await groupMemberIds(marketing.aadGroupId)).includes(request.invitation!.invitedUserId));
    const told = bot.connector.messagesIn(request.requesterAddress.conversationId).map((c) => String(c.body.text ?? ''));
    assert.ok(told.includes('Gina Guest was added to the team Contoso Marketing.'), told.join(' | '));
  });

  it('a group that no longer exists is reported to the requester, in their language', async () => {
    const germanTina: TeamsPerson = { ...TINA, locale: 'de-DE' };
    const answer = await bot.invoke(germanTina, 'submitRequest', {
      email: uniqueGuestEmail(),
      displayName: 'Gerd Gast',
      justification: 'Kampagne',
      teamGroupId: marketing.aadGroupId,
    });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    // The team's group is deleted while the request waits for approval.
    const stored = (await bot.app.workflow.store.get(requestId))!;
    await bot.app.workflow.store.update({ ...stored.value, team: { groupId: randomUUID(), name: 'Contoso Marketing' } }, stored.etag);
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    await bot.idle();
    const request = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(request.status, 'Invited', 'the invitation stands');
    assert.equal(request.teamMembership?.status, 'failed');
    assert.equal(request.teamMembership?.reason, 'groupNotFound');
    const told = bot.connector.messagesIn(request.requesterAddress.conversationId).map((c) => String(c.body.text ?? ''));
    assert.ok(
      told.some((text) =>
        text.startsWith('Gerd Gast konnte nicht zum Team Contoso Marketing hinzugefügt werden: Die Gruppe des Teams existiert nicht mehr'),
      ),
      told.join(' | '),
    );
  });

  it('the sweep finishes a membership step a crashed process left behind', async () => {
    const request = await submitAndApprove(TINA, { email: uniqueGuestEmail(), teamGroupId: marketing.aadGroupId });
    const guest = await seedDirectoryUser({
      displayName: 'Late Guest',
      mail: uniqueGuestEmail(),
      userType: 'Guest',
      externalUserState: 'PendingAcceptance',
    });
    // As if the process died right after the invitation: Invited, with a team, no membership yet.
    const orphan: GuestRequest = {
      ...request,
      id: `GR-${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      invitation: { ...request.invitation!, invitedUserId: guest.id },
      teamMembership: undefined,
    };
    await bot.app.workflow.store.create(orphan);
    await bot.app.sweep();
    assert.ok((await groupMemberIds(marketing.aadGroupId)).includes(guest.id));
    assert.equal((await bot.app.workflow.store.get(orphan.id))!.value.teamMembership?.status, 'added');
  });

  it('`request` typed in a team sends the form to the personal chat with that team chosen', async () => {
    for (const withGroupId of [true, false]) {
      const before = bot.connector.calls.length;
      const answer = await bot.post(teamMessage(TINA, bot.connector.url, marketing, 'request', withGroupId));
      assert.ok(answer.status < 300);
      const calls = bot.connector.calls.slice(before);
      const inChannel = calls
        .filter((c) => c.operation === 'replyToActivity' || c.operation === 'sendToConversation')
        .filter((c) => c.conversationId.startsWith(marketing.id));
      assert.ok(
        inChannel.some((c) => String(c.body.text).includes('personal chat')),
        'the channel hears where the form went',
      );
      assert.ok(!inChannel.some((c) => teamChoiceSet(cardOf(c))), 'no form in the channel');
      const opened = calls.find((c) => c.operation === 'createConversation');
      assert.ok(opened, 'a personal chat was opened');
      assert.deepEqual(
        (opened.body.members as Array<{ id: string }>).map((m) => m.id),
        [TINA.aadObjectId],
      );
      const form = calls
        .filter((c) => c.conversationId === opened.resultId)
        .map((c) => cardOf(c))
        .find((card) => teamChoiceSet(card));
      assert.equal(teamChoiceSet(form).value, marketing.aadGroupId, `preselected (group id in the activity: ${withGroupId})`);
    }
  });

  it('another requester is offered only their own teams, none chosen in a personal chat', async () => {
    const { replies } = await bot.say(NINA, 'request');
    const choices = teamChoiceSet(cardOf(replies[0]!));
    assert.deepEqual(
      choices.choices.map((c: any) => c.value),
      ['', finance.aadGroupId],
    );
    assert.equal(choices.value, '');
  });
});
