/**
 * One link message per request, with two real bot processes: the link send hangs in Teams for longer
 * than the lease TTL. A live holder keeps its lease (renewal) and no one sends again; a frozen
 * holder (SIGSTOP) loses its lease, and the process that takes over finds the delivery record
 * written before the send and does not send a second time.
 */
import { strict as assert } from 'node:assert';
import { Cluster, CLUSTER_APPROVERS, CLUSTER_REQUESTERS, sleep, uniqueEmail, waitUntil } from '../../tools/chaos/cluster';
import type { GuestRequest } from '../../src/domain/guestRequest';
import { testStorageConnectionString } from '../support/env';

const REQUESTER = CLUSTER_REQUESTERS[0]!;
const APPROVER = CLUSTER_APPROVERS[0]!;
const LEASE_SECONDS = 5;
const HANG_MS = 15_000;
const invitedAndTold = (r: GuestRequest | undefined) => r?.status === 'Invited' && Boolean(r.requesterNotifiedAt);

describe('reliability: one link message per request, however long Teams hangs', function () {
  this.timeout(90_000);
  let cluster: Cluster | undefined;
  afterEach(async () => {
    for (let i = 0; i < (cluster?.bots.length ?? 0); i++) if (cluster?.bots[i]) cluster.freeze(i, false);
    await cluster?.stop();
    cluster = undefined;
  });

  /** Two processes, a request approved through bot 0 whose link message hangs in Teams. */
  async function hungLink(): Promise<{ c: Cluster; requestId: string; email: string; hungAt: number }> {
    const c = (cluster = await Cluster.start({
      storageConnectionString: testStorageConnectionString(),
      instances: 2,
      env: { LEASE_SECONDS: String(LEASE_SECONDS), SWEEP_INTERVAL_SECONDS: '5' },
    }));
    const email = uniqueEmail('link-once');
    const requestId = await c.submit(0, REQUESTER, email);
    await c.approvalCardsSent(requestId);
    // The link goes out as a reply in the requester's chat.
    c.connector.scriptFaults([{ operation: 'replyToActivity', delayMs: HANG_MS }]);
    const hungAt = Date.now();
    assert.equal((await c.approve(0, APPROVER, requestId)).status, 200);
    return { c, requestId, email, hungAt };
  }

  async function expectOneLink(c: Cluster, requestId: string, hungAt: number): Promise<GuestRequest> {
    assert.ok(await c.settle([requestId], invitedAndTold, 40_000), `ended ${(await c.request(requestId))?.status}, not Invited and told`);
    // The hung send lands when Teams answers; give a second send every chance to show up.
    await sleep(Math.max(0, hungAt + HANG_MS + 4000 - Date.now()));
    assert.equal(await c.linkCount(requestId), 1, 'exactly one link message');
    return (await c.request(requestId))!;
  }

  it('a live holder keeps renewing its lease under a hung send: the link goes out once', async () => {
    const { c, requestId, hungAt } = await hungLink();
    await expectOneLink(c, requestId, hungAt);
  });

  it('a holder frozen mid-send loses its lease; the process taking over sees the delivery record and sends nothing', async () => {
    const { c, requestId, hungAt } = await hungLink();
    await waitUntil(async () => (await c.request(requestId))?.outcomeSendStartedAt, 15_000, 'the delivery record');
    await sleep(500); // the send itself is on its way to Teams
    c.freeze(0, true);
    // Bot 1 takes the lapsed lease and finishes the request without sending.
    assert.ok(await c.settle([requestId], invitedAndTold, 30_000), 'finished by the other process');
    c.freeze(0, false);
    const finished = await expectOneLink(c, requestId, hungAt);
    assert.equal(finished.outcomeDeliveryUnconfirmed, true, 'recorded as sent but unconfirmed');
  });
});
