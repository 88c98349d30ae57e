/**
 * Two bot processes on one table prefix (scale-out): two approvers approve the same 20 requests at
 * the same instant, each through a different process. Exactly one decision and one invitation each.
 */
import { strict as assert } from 'node:assert';
import { Cluster, CLUSTER_APPROVERS, CLUSTER_REQUESTERS, uniqueEmail } from '../../tools/chaos/cluster';
import { testStorageConnectionString } from '../support/env';

describe('reliability: two processes, two approvers, the same 20 requests at once', function () {
  this.timeout(60_000);
  let cluster: Cluster | undefined;
  after(async () => {
    await cluster?.stop();
  });

  it('exactly 20 invitations, each address invited once, one transition to Approved per request', async () => {
    const c = (cluster = await Cluster.start({ storageConnectionString: testStorageConnectionString(), instances: 2 }));
    const emails = Array.from({ length: 20 }, (_, i) => uniqueEmail(`twin${i}`));
    const ids = await Promise.all(emails.map((email, i) => c.submit(i % 2, CLUSTER_REQUESTERS[i % 2]!, email)));
    await Promise.all(ids.map((id) => c.approvalCardsSent(id, 20_000)));

    const answers = await Promise.all(
      ids.flatMap((id) => [c.approve(0, CLUSTER_APPROVERS[0]!, id), c.approve(1, CLUSTER_APPROVERS[1]!, id)]),
    );
    assert.ok(answers.every((a) => a.status === 200));

    assert.ok(await c.settle(ids, (r) => r?.status === 'Invited' && Boolean(r.requesterNotifiedAt), 30_000), 'all Invited and told');
    const verdicts = await Promise.all(ids.map((id, i) => c.verdict(id, emails[i]!)));
    for (const v of verdicts) {
      assert.equal(v.invitationsCreated, 1, `${v.requestId}: invitations`);
      assert.equal(v.approvals, 1, `${v.requestId}: decisions`);
      assert.equal(v.linkMessages, 1, `${v.requestId}: link messages`);
    }
    const stats = c.graph.state.stats();
    assert.equal(stats.invitationsCreated, 20);
    assert.equal(stats.duplicates, 0);
    // The decider is one of the two approvers, and the loser was told who decided.
    const requests = await Promise.all(ids.map((id) => c.request(id)));
    assert.ok(requests.every((r) => CLUSTER_APPROVERS.some((a) => a.aadObjectId === r!.decision!.by.id)));
  });
});
