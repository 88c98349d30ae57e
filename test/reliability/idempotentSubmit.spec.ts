/**
 * Idempotent submit: the request form carries a one-time token (Action.Execute data.submissionId);
 * the same form sent again (double click, retry after a time-out, concurrently) answers with the
 * same request and stores no second one.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { BotHarness, cardOf, cardText, REQUESTER, requestIdIn } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';
import type { TeamsPerson } from '../support/teamsActivities';

describe('idempotent submit', () => {
  let bot: BotHarness;

  before(async () => {
    // Limits on, so that a replay counted twice would also show.
    bot = await BotHarness.start({ env: { MAX_PENDING_PER_REQUESTER: '4', MAX_REQUESTS_PER_DAY: '0' } });
  });
  after(async () => {
    await bot?.stop();
  });

  const person = (): TeamsPerson => ({ aadObjectId: randomUUID(), name: 'Ivy Idempotent' });
  const stored = async (p: TeamsPerson) => (await bot.app.workflow.store.listByRequester(p.aadObjectId, 100)).items;

  /** The token of a freshly shown form: what Teams sends back in the submit's data. */
  const formToken = async (p: TeamsPerson): Promise<string> => {
    const form = cardOf(await bot.invoke(p, 'openRequestForm', {}));
    const submit = JSON.stringify(form).match(/"verb":"submitRequest","data":\{"submissionId":"([^"]+)"\}/);
    assert.ok(submit, 'the form carries a submission token');
    return submit[1]!;
  };

  it('each form shows its own unguessable token', async () => {
    const p = person();
    const [a, b] = [await formToken(p), await formToken(p)];
    assert.notEqual(a, b);
    assert.ok(a.length >= 32, a);
  });

  it('the same token twice in a row: one request, the same id in both answers, approval cards sent once; another token or none is a new request', async () => {
    const p = person();
    const fields = { email: uniqueGuestEmail(), justification: 'Double click', submissionId: await formToken(p) };
    const first = await bot.invoke(p, 'submitRequest', fields);
    await bot.idle();
    const second = await bot.invoke(p, 'submitRequest', fields);
    await bot.idle();
    const id = requestIdIn(cardOf(first));
    assert.equal(requestIdIn(cardOf(second)), id);
    assert.match(cardText(cardOf(second)), /Pending approval/);
    assert.deepEqual(
      (await stored(p)).map((r) => r.id),
      [id],
    );
    assert.equal((await bot.app.workflow.store.listAudit(id)).filter((e) => e.action === 'submitted').length, 1);
    const cards = bot.connector.calls.filter((c) => c.operation !== 'updateActivity' && JSON.stringify(c.body ?? {}).includes(id));
    const approvals = (await bot.app.workflow.store.listApprovalMessages(id)).length;
    assert.ok(approvals > 0);
    assert.equal(cards.length, approvals, 'one approval card per approver');

    // A different token is a new request; a form without a token (an older card) is a new request each time.
    const other = requestIdIn(cardOf(await bot.invoke(p, 'submitRequest', { ...fields, submissionId: randomUUID() })));
    assert.notEqual(other, id);
    const { submissionId: _dropped, ...withoutToken } = fields;
    const old = await Promise.all([bot.invoke(p, 'submitRequest', withoutToken), bot.invoke(p, 'submitRequest', withoutToken)]);
    await bot.idle();
    assert.notEqual(requestIdIn(cardOf(old[0])), requestIdIn(cardOf(old[1])));
    assert.equal((await stored(p)).length, 4);
  });

  it('the same token 20 times at once: one request, the same id in every answer, counted once against the limit', async () => {
    const p = person();
    const fields = { email: uniqueGuestEmail(), justification: 'Retry storm', submissionId: await formToken(p) };
    const answers = await Promise.all(Array.from({ length: 20 }, () => bot.invoke(p, 'submitRequest', fields)));
    await bot.idle();
    const ids = new Set(answers.map((answer) => requestIdIn(cardOf(answer))));
    assert.equal(ids.size, 1);
    assert.deepEqual(
      (await stored(p)).map((r) => r.id),
      [...ids],
    );
    // Counted once: three more fit under MAX_PENDING_PER_REQUESTER=4.
    for (let i = 0; i < 3; i++) {
      const more = await bot.invoke(p, 'submitRequest', { email: uniqueGuestEmail(), justification: 'More', submissionId: randomUUID() });
      assert.match(cardText(cardOf(more)), /Pending approval/);
    }
    await bot.idle();
    assert.equal((await stored(p)).length, 4);
  });

  it('another user replaying the token gets a request of their own, never the first one or its details', async () => {
    const owner = person();
    const thief = person();
    const secretEmail = uniqueGuestEmail();
    const token = await formToken(owner);
    const first = requestIdIn(
      cardOf(await bot.invoke(owner, 'submitRequest', { email: secretEmail, justification: 'Confidential deal', submissionId: token })),
    );
    const replayed = await bot.invoke(thief, 'submitRequest', { email: uniqueGuestEmail(), justification: 'Mine', submissionId: token });
    await bot.idle();
    const text = cardText(cardOf(replayed));
    assert.ok(!text.includes(first), 'the first request id is not shown');
    assert.ok(!text.includes(secretEmail) && !text.includes('Confidential deal'), 'no detail of the first request');
    const theirs = await stored(thief);
    assert.equal(theirs.length, 1);
    assert.notEqual(theirs[0]!.id, first);
    assert.equal((await stored(owner)).length, 1);
  });

  it('invalid input with a token stores nothing; the corrected form with the same token then makes the request, once', async () => {
    const p = person();
    const token = await formToken(p);
    const invalid = await bot.invoke(p, 'submitRequest', { email: 'not an address', justification: 'Typo', submissionId: token });
    assert.ok(JSON.stringify(cardOf(invalid)).includes(token), 'the form shown again keeps its token');
    assert.equal((await stored(p)).length, 0);
    const fields = { email: uniqueGuestEmail(), justification: 'Fixed', submissionId: token };
    const ok = requestIdIn(cardOf(await bot.invoke(p, 'submitRequest', fields)));
    const again = requestIdIn(cardOf(await bot.invoke(p, 'submitRequest', fields)));
    await bot.idle();
    assert.equal(again, ok);
    assert.equal((await stored(p)).length, 1);
  });

  it('a replay after approval answers with the request as it now is and invites nobody again', async () => {
    const p: TeamsPerson = REQUESTER;
    const email = uniqueGuestEmail();
    const fields = { email, justification: 'Retry after a time-out', submissionId: randomUUID() };
    const id = requestIdIn(cardOf(await bot.invoke(p, 'submitRequest', fields)));
    await bot.idle();
    const approver = (await bot.app.workflow.approvers.list())[0]!;
    await bot.invoke({ aadObjectId: approver, name: 'Anna Approver' }, 'approve', { requestId: id });
    await bot.idle();
    const replay = await bot.invoke(p, 'submitRequest', fields);
    await bot.idle();
    assert.equal(requestIdIn(cardOf(replay)), id);
    assert.equal((await invitationsFor(email)).length, 1);
  });
});
