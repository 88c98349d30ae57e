/**
 * Refused attempts leave an audit trail (who, what, why) and change nothing; and the read-only
 * views only ever show a person what they may see.
 */
import { strict as assert } from 'node:assert';
import type { AuditEntry } from '../../src/domain/guestRequest';
import { APPROVERS, cardOf, cardText, OUTSIDER, REQUESTER, requestIdIn, useBotHarness } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

const [ANNA, BEN] = APPROVERS as [TeamsPerson, TeamsPerson];

describe('audit of refused attempts', () => {
  const bot = useBotHarness();

  async function submit(requester: TeamsPerson = REQUESTER) {
    const email = uniqueGuestEmail();
    const answer = await bot.invoke(requester, 'submitRequest', { email, justification: 'Audit check', sendInvitationMessage: 'false' });
    const requestId = requestIdIn(cardOf(answer));
    await bot.idle();
    return { requestId, email };
  }

  /** The single audit entry with `action` for the request, checked for who and when. */
  async function refusal(requestId: string, action: string, actor: TeamsPerson): Promise<AuditEntry> {
    const entries = (await bot.app.workflow.store.listAudit(requestId)).filter((e) => e.action === action);
    assert.equal(entries.length, 1, `one "${action}" entry for ${requestId}`);
    const entry = entries[0]!;
    assert.equal(entry.requestId, requestId);
    assert.deepEqual(entry.actor, { id: actor.aadObjectId, name: actor.name }, 'who: from the activity, with name');
    assert.ok(Math.abs(Date.parse(entry.at) - Date.now()) < 60_000, 'when');
    return entry;
  }

  it('a non-approver: recorded as refused:notApprover with what was attempted, nothing changes', async () => {
    const { requestId, email } = await submit();
    // Card data cannot name another actor.
    await bot.invoke(OUTSIDER, 'approve', { requestId, actor: { id: ANNA.aadObjectId, name: ANNA.name }, decider: ANNA.aadObjectId });
    await bot.idle();
    const entry = await refusal(requestId, 'refused:notApprover', OUTSIDER);
    assert.equal(entry.detail, 'Approved', 'what: an approval');
    assert.equal(entry.from, undefined, 'the request is not even read for someone who may not decide it');
    assert.equal(entry.to, undefined, 'no transition');
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0);
  });

  it('self-approval: recorded as refused:ownRequest, nothing changes', async () => {
    const { requestId, email } = await submit(ANNA);
    await bot.invoke(ANNA, 'approve', { requestId });
    await bot.idle();
    const entry = await refusal(requestId, 'refused:ownRequest', ANNA);
    assert.equal(entry.detail, 'Approved');
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
    assert.equal((await invitationsFor(email)).length, 0);
  });

  it('a decision on a decided request: recorded as refused:alreadyDecided, the first decision stands', async () => {
    const { requestId, email } = await submit();
    await bot.invoke(ANNA, 'deny', { requestId, reason: 'Not needed' });
    await bot.idle();
    await bot.invoke(BEN, 'approve', { requestId });
    await bot.idle();
    const entry = await refusal(requestId, 'refused:alreadyDecided', BEN);
    assert.equal(entry.detail, 'Approved');
    assert.equal(entry.from, 'Denied');
    const stored = (await bot.app.workflow.store.get(requestId))!.value;
    assert.equal(stored.status, 'Denied');
    assert.equal(stored.decision?.by.id, ANNA.aadObjectId);
    assert.equal((await invitationsFor(email)).length, 0);
    const trail = await bot.app.workflow.store.listAudit(requestId);
    assert.deepEqual(
      trail.map((e) => e.action),
      ['submitted', 'status:Denied', 'refused:alreadyDecided'],
      'the whole story, in order',
    );
    assert.equal(trail[1]!.detail, 'Not needed', 'why it was denied');
  });

  it('an unknown (well-formed) request id: recorded as refused:notFound under that id', async () => {
    const unknown = 'GR-ZZZZZZZZZ9';
    const answer = await bot.invoke(ANNA, 'approve', { requestId: unknown });
    assert.match(answer.body.value, /There is no request/);
    const entry = await refusal(unknown, 'refused:notFound', ANNA);
    assert.equal(entry.detail, 'Approved', 'what was attempted');
    assert.equal(await bot.app.workflow.store.get(unknown), undefined, 'nothing created');
  });

  it('refused cancel and retry are recorded too', async () => {
    const { requestId } = await submit();
    await bot.invoke(OUTSIDER, 'cancelRequest', { requestId });
    await bot.invoke(OUTSIDER, 'retryInvitation', { requestId });
    await bot.idle();
    // The caller was told "no such request"; only this trail says why.
    const cancel = await refusal(requestId, 'refused:notRequester', OUTSIDER);
    assert.equal(cancel.detail, 'cancel', 'what');
    assert.equal(cancel.from, 'Pending');
    assert.equal((await refusal(requestId, 'refused:notApprover', OUTSIDER)).detail, 'retry', 'what');
    assert.equal((await bot.app.workflow.store.get(requestId))!.value.status, 'Pending');
  });
});

describe('read access', () => {
  const bot = useBotHarness();

  it('"show more" with another person\'s page cursor never shows their requests', async () => {
    const emails: string[] = [];
    for (let i = 0; i < 11; i++) {
      const email = uniqueGuestEmail();
      emails.push(email);
      await bot.invoke(REQUESTER, 'submitRequest', { email, justification: 'Paging' });
    }
    await bot.idle();
    const { replies } = await bot.say(REQUESTER, 'my requests');
    const more = JSON.stringify(cardOf(replies[0]!));
    const cursor = /"cursor":"([^"]+)"/.exec(more)?.[1];
    assert.ok(cursor, 'the list has a next page');
    const own = await bot.invoke(REQUESTER, 'myRequests', { cursor });
    assert.ok(
      emails.some((e) => cardText(cardOf(own)).includes(e.replace(/\./g, '\\.'))),
      'control: the cursor works for its owner',
    );

    // Otto replays Rita's cursor and names her in the card data: the list is still only ever his own.
    const forged = { requesterId: REQUESTER.aadObjectId, requester: { id: REQUESTER.aadObjectId }, userId: REQUESTER.aadObjectId };
    for (const data of [{ cursor }, { cursor, ...forged }, forged]) {
      const stolen = await bot.invoke(OUTSIDER, 'myRequests', data);
      assert.equal(stolen.status, 200);
      const shown = JSON.stringify(stolen.body);
      for (const email of emails)
        assert.equal(shown.includes(email.replace(/\./g, '\\\\.')) || shown.includes(email), false, `${email} not shown to Otto`);
    }
  });

  it('"pending" is for approvers only', async () => {
    await bot.invoke(REQUESTER, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Pending check' });
    await bot.idle();
    const { replies } = await bot.say(OUTSIDER, 'pending');
    assert.equal(replies.length, 1);
    assert.equal(replies[0]!.body.attachments, undefined, 'no approval cards');
    assert.match(String(replies[0]!.body.text), /for approvers/);
  });
});
