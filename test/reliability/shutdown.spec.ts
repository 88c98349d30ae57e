/**
 * SIGTERM (an App Service recycle, a deployment): the process stops taking new turns, finishes the
 * invitation it is in the middle of, and exits by itself within the shutdown bound.
 */
import { strict as assert } from 'node:assert';
import { Cluster, CLUSTER_APPROVERS, CLUSTER_REQUESTERS, uniqueEmail, waitUntil } from '../../tools/chaos/cluster';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/runServer';
import { testStorageConnectionString } from '../support/env';

describe('reliability: graceful shutdown', function () {
  this.timeout(60_000);
  let cluster: Cluster | undefined;
  after(async () => {
    await cluster?.stop();
  });

  it('finishes the Graph call in flight, refuses new connections, and exits 0 within the bound', async () => {
    const c = (cluster = await Cluster.start({ storageConnectionString: testStorageConnectionString() }));
    const email = uniqueEmail('shutdown');
    const requestId = await c.submit(0, CLUSTER_REQUESTERS[0]!, email);
    await c.approvalCardsSent(requestId);
    c.graph.state.scriptFaults([{ latencyMs: 2500 }]);
    assert.equal((await c.approve(0, CLUSTER_APPROVERS[0]!, requestId)).status, 200);
    await waitUntil(() => c.graph.state.invitations().some((call) => JSON.stringify(call.body).includes(email)), 10_000, 'the Graph call');

    const bot = c.bots[0]!;
    const started = Date.now();
    process.kill(bot.pid, 'SIGTERM');
    // New connections are refused at once, while the Graph call is still running.
    await waitUntil(
      async () =>
        (await fetch(`${bot.url}/healthz`)
          .then(() => false)
          .catch(() => true)) || undefined,
      2_000,
      'the listener to close',
    );
    const code = await bot.exited;
    const took = Date.now() - started;
    assert.equal(code, 0, 'a clean exit');
    assert.ok(took < SHUTDOWN_TIMEOUT_MS + 2_000, `exited after ${took} ms`);
    const stored = await c.request(requestId);
    assert.equal(stored?.status, 'Invited', 'the invitation in flight was finished, not abandoned');
    assert.ok(stored?.requesterNotifiedAt, 'and the requester told');
  });
});
