/**
 * Recovery in seconds, with the production defaults (LEASE_SECONDS, SWEEP_INTERVAL_SECONDS): a bot
 * process SIGKILLed right after a submit (its approval fan-out in flight), or with an invitation in
 * flight, is started again, and the flow completes within 40 s of the restart. The dead process's
 * leases lapse within one TTL and the sweep (at start-up and on its timer) picks the work up.
 */
import { strict as assert } from 'node:assert';
import { Cluster, CLUSTER_APPROVERS, CLUSTER_REQUESTERS, uniqueEmail, waitUntil } from '../../tools/chaos/cluster';
import type { GuestRequest } from '../../src/domain/guestRequest';
import { testStorageConnectionString } from '../support/env';

const REQUESTER = CLUSTER_REQUESTERS[0]!;
const APPROVER = CLUSTER_APPROVERS[0]!;
const RECOVERY_BOUND_MS = 40_000;
const invitedAndTold = (r: GuestRequest | undefined) => r?.status === 'Invited' && Boolean(r.requesterNotifiedAt);

describe('reliability: recovery within 40 s of a restart after SIGKILL (production lease and sweep timings)', function () {
  this.timeout(120_000);
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it('killed right after a submit, before the approval cards went out: the cards follow within 40 s of the restart', async () => {
    const c = (cluster = await Cluster.start({ storageConnectionString: testStorageConnectionString(), productionTimings: true }));
    // Teams answers the chat creation late: the fan-out is still in flight when the process dies.
    c.connector.scriptFaults([
      { operation: 'createConversation', delayMs: 3000 },
      { operation: 'createConversation', delayMs: 3000 },
    ]);
    const email = uniqueEmail('kill-submit');
    const requestId = await c.submit(0, REQUESTER, email);
    await c.kill(0);
    assert.equal((await c.store.listApprovalMessages(requestId)).length, 0, 'no card went out before the crash');
    await c.startBot(0);
    const restarted = Date.now();
    await c.approvalCardsSent(requestId, RECOVERY_BOUND_MS);
    const cardsAfter = Date.now() - restarted;
    assert.equal((await c.approve(0, APPROVER, requestId)).status, 200);
    assert.ok(await c.settle([requestId], invitedAndTold, RECOVERY_BOUND_MS - (Date.now() - restarted)), 'invited and told');
    const doneAfter = Date.now() - restarted;
    process.stdout.write(`      cards ${cardsAfter} ms, flow done ${doneAfter} ms after the restart\n`);
    assert.ok(doneAfter <= RECOVERY_BOUND_MS, `flow done ${doneAfter} ms after the restart`);
    assert.equal((await c.verdict(requestId, email)).linkMessages, 1, 'one link message');
  });

  it('killed with an invitation in flight: invited and told within 40 s of the restart', async () => {
    const c = (cluster = await Cluster.start({ storageConnectionString: testStorageConnectionString(), productionTimings: true }));
    const email = uniqueEmail('kill-invite');
    const requestId = await c.submit(0, REQUESTER, email);
    await c.approvalCardsSent(requestId);
    c.graph.state.scriptFaults([{ latencyMs: 5000 }]);
    assert.equal((await c.approve(0, APPROVER, requestId)).status, 200);
    await waitUntil(() => c.graph.state.invitations().some((call) => JSON.stringify(call.body).includes(email)), 10_000, 'the Graph call');
    await c.kill(0);
    assert.equal((await c.request(requestId))?.status, 'Approved');
    await c.startBot(0);
    const restarted = Date.now();
    assert.ok(
      await c.settle([requestId], invitedAndTold, RECOVERY_BOUND_MS),
      `ended ${(await c.request(requestId))?.status}, not Invited and told`,
    );
    const doneAfter = Date.now() - restarted;
    process.stdout.write(`      flow done ${doneAfter} ms after the restart\n`);
    assert.ok(doneAfter <= RECOVERY_BOUND_MS, `flow done ${doneAfter} ms after the restart`);
    const verdict = await c.verdict(requestId, email);
    assert.equal(verdict.invitedUsers, 1);
    assert.equal(verdict.linkMessages, 1, 'one link message');
  });
});
