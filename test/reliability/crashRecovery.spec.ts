/**
 * "Nothing lost, nothing doubled" with real processes: the bot runs as a child process and is killed
 * with SIGKILL at the three dangerous moments of a request's life, then started again on the same
 * tables. Every request must end Invited, with one guest user per address and the link delivered.
 */
import { strict as assert } from 'node:assert';
import { Cluster, CLUSTER_APPROVERS, CLUSTER_REQUESTERS, uniqueEmail, waitUntil } from '../../tools/chaos/cluster';
import type { GuestRequest } from '../../src/domain/guestRequest';
import type { GraphSandboxOptions } from '../../tools/sandbox/graph/server';
import { testStorageConnectionString } from '../support/env';

const REQUESTER = CLUSTER_REQUESTERS[0]!;
const APPROVER = CLUSTER_APPROVERS[0]!;
const invited = (r: GuestRequest | undefined) => r?.status === 'Invited' && Boolean(r.requesterNotifiedAt);

describe('reliability: a bot process killed with SIGKILL and restarted', function () {
  this.timeout(60_000);
  let cluster: Cluster | undefined;
  const start = async (graph: GraphSandboxOptions = {}) => {
    cluster = await Cluster.start({ storageConnectionString: testStorageConnectionString(), graph });
    return cluster;
  };
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  async function expectDelivered(c: Cluster, requestId: string, email: string, maxCreated: number): Promise<void> {
    assert.ok(await c.settle([requestId], invited, 30_000), `request ended ${(await c.request(requestId))?.status}, not Invited and told`);
    const verdict = await c.verdict(requestId, email);
    assert.equal(verdict.invitedUsers, 1, 'one guest user for the address');
    assert.ok(verdict.invitationsCreated >= 1 && verdict.invitationsCreated <= maxCreated, `created ${verdict.invitationsCreated}`);
    assert.equal(verdict.approvals, 1, 'one decision');
    assert.ok(verdict.linkMessages >= 1, 'the requester has the link');
  }

  it('(a) killed right after the submit: the request survives, its approval cards follow, and it is invited', async () => {
    const c = await start();
    const email = uniqueEmail('crash-a');
    const requestId = await c.submit(0, REQUESTER, email);
    await c.kill(0);
    assert.equal((await c.request(requestId))?.status, 'Pending');
    await c.startBot(0);
    // Cards the dead process may not have sent are sent by the new process's sweep.
    await c.approvalCardsSent(requestId, 20_000);
    const answer = await c.approve(0, APPROVER, requestId);
    assert.equal(answer.status, 200);
    await expectDelivered(c, requestId, email, 1);
  });

  it('(b) killed after the approval, while Graph is still working: the next process invites once', async () => {
    const c = await start();
    const email = uniqueEmail('crash-b');
    const requestId = await c.submit(0, REQUESTER, email);
    await c.approvalCardsSent(requestId);
    c.graph.state.scriptFaults([{ latencyMs: 4000 }]);
    assert.equal((await c.approve(0, APPROVER, requestId)).status, 200);
    await waitUntil(() => c.graph.state.invitations().some((call) => JSON.stringify(call.body).includes(email)), 10_000, 'the Graph call');
    await c.kill(0);
    assert.equal((await c.request(requestId))?.status, 'Approved');
    await c.startBot(0);
    await expectDelivered(c, requestId, email, 1);
  });

  it('(c) killed after Graph created the invitation but before the answer arrived: re-sent to the same user, link delivered', async () => {
    // latencyMs: the sandbox does the work, then answers late.
    const c = await start({ latencyMs: 2500 });
    const email = uniqueEmail('crash-c');
    const requestId = await c.submit(0, REQUESTER, email);
    await c.approvalCardsSent(requestId);
    assert.equal((await c.approve(0, APPROVER, requestId)).status, 200);
    await waitUntil(
      () => c.graph.state.invitations().some((call) => call.invitationId !== null && JSON.stringify(call.body).includes(email)),
      10_000,
      'the created invitation',
    );
    await c.kill(0);
    assert.equal((await c.request(requestId))?.status, 'Approved', 'the answer never reached the dead process');
    await c.startBot(0);
    // docs/protocol.md §4: a request approved just before a crash may be sent again; Graph re-invites the same user.
    await expectDelivered(c, requestId, email, 2);
    const stored = await c.request(requestId);
    assert.equal(c.linkMessagesFor(stored!).length, 1, 'the requester is told once');
  });
});
