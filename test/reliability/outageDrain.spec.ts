/**
 * Fast drain after a Graph outage (a real bot process, production defaults): 40 approvals arrive
 * while Graph answers 503 for longer than the Graph client's retry budget, so every live attempt
 * gives up and the outbox holds them all. Once Graph is back, the sweep works through them with the
 * same parallelism and pacing as live traffic: all are invited within 40 / INVITES_PER_SECOND + 30 s.
 */
import { strict as assert } from 'node:assert';
import { Cluster, CLUSTER_APPROVERS, CLUSTER_REQUESTERS, sleep, uniqueEmail } from '../../tools/chaos/cluster';
import type { GuestRequest } from '../../src/domain/guestRequest';
import { testStorageConnectionString } from '../support/env';

const APPROVALS = 40;
const INVITES_PER_SECOND = 5; // the production default
const OUTAGE_MS = 30_000;
const BOUND_MS = (APPROVALS / INVITES_PER_SECOND) * 1000 + 30_000;
const invitedAndTold = (r: GuestRequest | undefined) => r?.status === 'Invited' && Boolean(r.requesterNotifiedAt);

describe('reliability: the outbox drains fast after a Graph outage', function () {
  this.timeout(180_000);
  let cluster: Cluster | undefined;
  after(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it(`${APPROVALS} approvals queued during an outage are all invited within ${BOUND_MS / 1000} s of Graph's return`, async () => {
    // Graph answers in 1.5 s, as the real one does: one request after another would take 60 s.
    const c = (cluster = await Cluster.start({
      storageConnectionString: testStorageConnectionString(),
      productionTimings: true,
      graph: { latencyMs: 1500 },
    }));
    const ids: string[] = [];
    for (let i = 0; i < APPROVALS; i += 10) {
      ids.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, APPROVALS - i) }, (_, k) =>
            c.submit(0, CLUSTER_REQUESTERS[(i + k) % 2]!, uniqueEmail(`drain${i + k}`)),
          ),
        )),
      );
    }
    await Promise.all(ids.map((id) => c.approvalCardsSent(id, 30_000)));

    c.graph.state.startOutage('error', OUTAGE_MS);
    const outageEnds = Date.now() + OUTAGE_MS;
    for (let i = 0; i < ids.length; i += 10) {
      const answers = await Promise.all(ids.slice(i, i + 10).map((id) => c.approve(0, CLUSTER_APPROVERS[0]!, id)));
      assert.ok(answers.every((a) => a.status === 200));
    }
    await sleep(outageEnds - Date.now());
    const stillApproved = (await Promise.all(ids.map((id) => c.request(id)))).filter((r) => r?.status === 'Approved').length;
    assert.equal(stillApproved, APPROVALS, 'every approval waited in the outbox through the outage');

    const done = await c.settle(ids, invitedAndTold, BOUND_MS);
    const tookMs = Date.now() - outageEnds;
    const left = (await Promise.all(ids.map((id) => c.request(id)))).filter((r) => !invitedAndTold(r)).length;
    process.stdout.write(`      drained ${APPROVALS - left} of ${APPROVALS} in ${tookMs} ms after Graph's return (bound ${BOUND_MS} ms)\n`);
    assert.ok(done && tookMs <= BOUND_MS, `${left} not invited ${tookMs} ms after the outage`);
    for (const id of ids) assert.equal(await c.linkCount(id), 1, `one link message for ${id}`);
  });
});
