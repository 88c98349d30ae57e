/**
 * Requests survive restarts (docs/protocol.md §3): a pending request can be decided by a new process, and
 * a request approved just before a crash is invited by the next process's start-up sweep.
 */
import { strict as assert } from 'node:assert';
import { startFakeConnector, type FakeConnector } from '../../tools/fakeConnector';
import { transition } from '../../src/domain/lifecycle/transitions';
import { APPROVERS, BotHarness, cardOf, cardText, REQUESTER, requestIdIn } from '../support/botHarness';
import { invitationsFor, uniqueGuestEmail } from '../support/graphSandboxClient';

describe('restarts', () => {
  let connector: FakeConnector;
  before(async () => {
    connector = await startFakeConnector();
  });
  after(async () => {
    await connector.stop();
  });

  it('a pending request submitted before a restart is decided and invited after it', async () => {
    const email = uniqueGuestEmail();
    const first = await BotHarness.start({ connector });
    const answer = await first.invoke(REQUESTER, 'submitRequest', { email, justification: 'Audit partner' });
    const requestId = requestIdIn(cardOf(answer));
    await first.idle();
    await first.stop();

    const second = await BotHarness.start({ connector, tablePrefix: first.tablePrefix });
    try {
      const approved = await second.invoke(APPROVERS[0]!, 'approve', { requestId });
      assert.match(cardText(cardOf(approved)), /Approved by/);
      await second.idle();
      assert.equal((await second.app.workflow.store.get(requestId))!.value.status, 'Invited');
      assert.equal((await invitationsFor(email)).length, 1);
    } finally {
      await second.stop();
    }
  });

  it('two processes on one storage account: a decision made in one is final in the other, whose own memory of the request is older', async () => {
    const email = uniqueGuestEmail();
    const first = await BotHarness.start({ connector });
    const second = await BotHarness.start({ connector, tablePrefix: first.tablePrefix });
    try {
      const answer = await first.invoke(REQUESTER, 'submitRequest', { email, justification: 'Two instances' });
      const requestId = requestIdIn(cardOf(answer));
      await first.idle();
      // The first process stored the request and its cards, and writes a decision against that
      // version without reading; the second decides first.
      const denied = await second.invoke(APPROVERS[1]!, 'deny', { requestId, reason: 'Not this quarter' });
      assert.match(cardText(cardOf(denied)), /Denied by/);
      await second.idle();
      const late = await first.invoke(APPROVERS[0]!, 'approve', { requestId });
      assert.match(cardText(cardOf(late)), new RegExp(`Already decided by ${APPROVERS[1]!.name}`));
      await first.idle();
      assert.equal((await first.app.workflow.store.get(requestId))!.value.status, 'Denied');
      assert.equal((await invitationsFor(email)).length, 0);
      const audit = await first.app.workflow.store.listAudit(requestId);
      assert.equal(audit.filter((e) => e.to === 'Denied' || e.to === 'Approved').length, 1, 'one decision');
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('a request approved just before a crash is invited by the next process, and the requester gets the link', async () => {
    const email = uniqueGuestEmail();
    const first = await BotHarness.start({ connector });
    const answer = await first.invoke(REQUESTER, 'submitRequest', { email, justification: 'Consultant' });
    const requestId = requestIdIn(cardOf(answer));
    await first.idle();
    // The crash: the decision is stored, but the process dies before calling Graph.
    const store = first.app.workflow.store;
    const current = (await store.get(requestId))!;
    const at = new Date();
    await store.update(
      transition(current.value, 'Approved', at, {
        decision: { by: { id: APPROVERS[1]!.aadObjectId, name: APPROVERS[1]!.name }, at: at.toISOString(), outcome: 'Approved' },
      }),
      current.etag,
    );
    await first.stop();
    assert.equal((await invitationsFor(email)).length, 0);

    const before = connector.calls.length;
    const second = await BotHarness.start({ connector, tablePrefix: first.tablePrefix });
    try {
      await second.idle(); // the start-up sweep
      const stored = (await second.app.workflow.store.get(requestId))!.value;
      assert.equal(stored.status, 'Invited');
      assert.ok(stored.requesterNotifiedAt);
      assert.equal((await invitationsFor(email)).length, 1);
      const toRequester = connector.messagesIn(`a:personal-${REQUESTER.aadObjectId}`).filter((c) => connector.calls.indexOf(c) >= before);
      assert.equal(toRequester.length, 1);
      assert.ok(cardText(cardOf(toRequester[0]!)).includes(stored.invitation!.redeemUrl));

      // A further sweep finds nothing to do: no second invitation, no second message.
      await second.app.sweep();
      await second.idle();
      assert.equal((await invitationsFor(email)).length, 1);
      assert.equal(
        connector.messagesIn(`a:personal-${REQUESTER.aadObjectId}`).filter((c) => connector.calls.indexOf(c) >= before).length,
        1,
      );
    } finally {
      await second.stop();
    }
  });
});
