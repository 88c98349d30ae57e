/**
 * When the approval cards go out, the guest's address is looked up in the directory: approvers see
 * "already a guest (accepted / not yet accepted)" or "a member of our organisation", and approval
 * does what fits (no invitation for an accepted guest, a fresh link for a pending one, none for a
 * colleague).
 */
import { strict as assert } from 'node:assert';
import { APPROVERS, useBotHarness, cardOf, cardText, REQUESTER, requestIdIn } from '../support/botHarness';
import { invitationsFor, seedDirectoryUser, uniqueGuestEmail } from '../support/graphSandboxClient';

describe('existing accounts', () => {
  const bot = useBotHarness();

  async function submitFor(email: string) {
    const answer = await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Shared project' });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    const messages = await bot.app.workflow.store.listApprovalMessages(requestId);
    // The card goes out first and is updated once the look-up has answered: read its latest version.
    const card = bot.connector.calls
      .filter(
        (c) =>
          c.conversationId === messages[0]!.address.conversationId &&
          c.operation !== 'createConversation' &&
          cardText(cardOf(c)).includes(requestId),
      )
      .pop();
    return { requestId, approvalText: cardText(cardOf(card!)) };
  }

  it('an address that belongs to a colleague: the card says so and approval is refused, with no invitation', async () => {
    const email = uniqueGuestEmail('partner.example');
    await seedDirectoryUser({ displayName: 'Colleague', mail: `other-${email}`, otherMails: [email], userType: 'Member' });
    const { requestId, approvalText } = await submitFor(email);
    assert.match(approvalText, /member of our organisation/);
    const answer = await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    assert.match(cardText(cardOf(answer)), /colleague/);
    await bot.idle();
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0);
  });

  it('a guest who already accepted: approval tells the requester they have access and sends no invitation', async () => {
    const email = uniqueGuestEmail('accepted.example');
    await seedDirectoryUser({ displayName: 'Old Guest', mail: email, userType: 'Guest', externalUserState: 'Accepted' });
    const { requestId, approvalText } = await submitFor(email);
    assert.match(approvalText, /Already a guest \(accepted\)/);
    const before = bot.connector.calls.length;
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
    await bot.idle();
    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Invited');
    assert.equal(stored.invitation?.status, 'Accepted');
    assert.equal((await invitationsFor(email)).length, 0);
    const told = bot.connector.messagesIn(`a:personal-${REQUESTER.aadObjectId}`).filter((c) => bot.connector.calls.indexOf(c) >= before);
    assert.equal(told.length, 1);
    assert.match(cardText(cardOf(told[0]!)), /already a guest of our organisation and has access/);
  });

  it('a guest who never accepted: the card says so and approval re-invites the same account with a fresh link', async () => {
    const email = uniqueGuestEmail('pending.example');
    const first = await submitFor(email);
    await bot.invoke(APPROVERS[0]!, 'approve', { requestId: first.requestId });
    await bot.idle();
    const firstInvite = (await bot.app.workflow.store.get(first.requestId))!.value.invitation!;

    const second = await submitFor(email);
    assert.match(second.approvalText, /Already a guest \(not yet accepted\)/);
    await bot.invoke(APPROVERS[1]!, 'approve', { requestId: second.requestId });
    await bot.idle();
    const secondInvite = (await bot.app.workflow.store.get(second.requestId))!.value.invitation!;
    assert.equal((await invitationsFor(email)).length, 2);
    assert.equal(secondInvite.invitedUserId, firstInvite.invitedUserId, 'same guest account');
    assert.notEqual(secondInvite.redeemUrl, firstInvite.redeemUrl, 'a fresh link');
  });

  it('a look-up that answers after the decision is not stored: the note was for the decision, which stands', async () => {
    const email = uniqueGuestEmail('late.example');
    await seedDirectoryUser({ displayName: 'Late Guest', mail: email, userType: 'Guest', externalUserState: 'PendingAcceptance' });
    // Hold the look-up (it goes to the sandbox over HTTP as usual, only its answer waits for us).
    const directory = bot.app.workflow.directory;
    const lookUp = directory.findUsersByEmail.bind(directory);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const lookUpStarted = new Promise<void>((resolve) => (started = resolve));
    directory.findUsersByEmail = async (address) => {
      started();
      const users = await lookUp(address);
      await gate;
      return users;
    };
    try {
      const answer = await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Quick decision' });
      const requestId = requestIdIn(cardOf(answer));
      await lookUpStarted;
      await bot.invoke(APPROVERS[0]!, 'approve', { requestId });
      for (let i = 0; i < 200 && (await bot.app.workflow.store.get(requestId))!.value.status !== 'Invited'; i++)
        await new Promise((r) => setTimeout(r, 25));
      const decided = await bot.app.workflow.store.get(requestId);
      assert.equal(decided!.value.status, 'Invited');
      release();
      await bot.idle();
      const stored = await bot.app.workflow.store.get(requestId);
      assert.equal(stored!.etag, decided!.etag, 'the late look-up wrote nothing');
      assert.equal(stored!.value.existingAccount, undefined);
      assert.equal((await invitationsFor(email)).length, 1);
    } finally {
      release();
      directory.findUsersByEmail = lookUp;
    }
  });
});
