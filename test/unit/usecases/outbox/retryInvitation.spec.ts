/** retryInvitation on memory adapters: a Failed request goes back to the outbox, by an approver only. */
import { strict as assert } from 'node:assert';
import { retryInvitation } from '../../../../src/domain/usecases/outbox/retryInvitation';
import { inviteGuest } from '../../../../src/domain/usecases/outbox/inviteGuest';
import type { Person } from '../../../../src/domain/guestRequest';
import { ANN, BEN, memoryWorkflow, OLLI, RITA, seedRequest, stored, trail, type MemoryHouse } from '../../../support/memory/memoryWorkflow';

describe('retryInvitation', () => {
  let house: MemoryHouse;
  let id: string;
  beforeEach(async () => {
    house = memoryWorkflow({ approverIds: [ANN.id, BEN.id, RITA.id] });
    const at = house.clock.now().toISOString();
    id = (
      await seedRequest(house, {
        status: 'Failed',
        decision: { by: ANN, at, outcome: 'Approved' },
        failure: { code: 'Forbidden', message: 'Guest invitations are turned off', at },
        requesterNotifiedAt: at,
      })
    ).value.id;
  });
  const retry = (actor: Person, requestId = id) => retryInvitation(house.wf, { requestId, actor });

  it('sends a Failed request back to Approved, clearing the failure, audited; the outbox then invites', async () => {
    const result = await retry(BEN);
    assert.equal(result.kind, 'retrying');
    const request = await stored(house, id);
    assert.equal(request.status, 'Approved');
    assert.equal(request.failure, undefined);
    assert.equal(request.requesterNotifiedAt, undefined);
    const entry = (await house.store.listAudit(id)).at(-1);
    assert.deepEqual(entry && [entry.action, entry.actor.id, entry.from, entry.to, entry.detail], [
      'status:Approved',
      BEN.id,
      'Failed',
      'Approved',
      'retry',
    ]);
    assert.equal(await inviteGuest(house.wf, id), 'invited');
    assert.equal(house.directory.invites.length, 1);
  });

  it('refuses someone who is not an approver before reading the request, auditing the attempt', async () => {
    const result = await retry(OLLI);
    assert.equal(result.kind, 'notApprover');
    assert.equal((await stored(house, id)).status, 'Failed');
    assert.deepEqual(await trail(house, id), ['submitted', 'refused:notApprover']);
  });

  it('refuses the requester, even when an approver, auditing the attempt', async () => {
    const result = await retry(RITA);
    assert.equal(result.kind === 'refused' && result.problem.code, 'retry.ownRequest');
    assert.equal((await stored(house, id)).status, 'Failed');
    assert.deepEqual(await trail(house, id), ['submitted', 'refused:retry']);
  });

  it('refuses a request that is not Failed, and answers notFound for an unknown one', async () => {
    await retry(BEN);
    const again = await retry(BEN);
    assert.deepEqual(again.kind === 'refused' && again.problem, { code: 'retry.notFailed', params: { status: 'Approved' } });
    assert.deepEqual(await retry(BEN, 'GR-NOPE'), { kind: 'notFound' });
    assert.deepEqual(
      (await trail(house, id)).filter((a) => a.startsWith('status:')),
      ['status:Approved'],
    );
  });
});
