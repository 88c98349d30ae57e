/** cancelRequest on memory adapters: only the requester, only while Pending. */
import { strict as assert } from 'node:assert';
import { cancelRequest } from '../../../../src/domain/usecases/request/cancelRequest';
import { decideRequest } from '../../../../src/domain/usecases/approval/decideRequest';
import { ANN, memoryWorkflow, RITA, seedRequest, stored, trail, type MemoryHouse } from '../../../support/memory/memoryWorkflow';

describe('cancelRequest', () => {
  let house: MemoryHouse;
  let id: string;
  beforeEach(async () => {
    house = memoryWorkflow();
    id = (await seedRequest(house)).value.id;
  });

  it('lets the requester withdraw a Pending request, audited', async () => {
    const result = await cancelRequest(house.wf, { requestId: id, actor: RITA });
    assert.equal(result.kind, 'cancelled');
    assert.equal((await stored(house, id)).status, 'Cancelled');
    const entry = (await house.store.listAudit(id)).at(-1);
    assert.deepEqual(entry && [entry.action, entry.actor.id, entry.from, entry.to], ['status:Cancelled', RITA.id, 'Pending', 'Cancelled']);
  });

  it('answers anyone else exactly as for a missing request, auditing the attempt for operators', async () => {
    const result = await cancelRequest(house.wf, { requestId: id, actor: ANN });
    assert.deepEqual(result, await cancelRequest(house.wf, { requestId: 'GR-NOSUCH0000', actor: ANN }));
    assert.equal(result.kind, 'notFound');
    assert.equal((await stored(house, id)).status, 'Pending');
    assert.deepEqual(await trail(house, id), ['submitted', 'refused:notRequester']);
  });

  it('refuses once decided, and a cancel racing a decision leaves exactly one of them', async () => {
    await decideRequest(house.wf, { requestId: id, decider: ANN, outcome: 'Approved' });
    const late = await cancelRequest(house.wf, { requestId: id, actor: RITA });
    assert.deepEqual(late.kind === 'refused' && late.problem, { code: 'cancel.notPending', params: { status: 'Approved' } });

    const other = (await seedRequest(house)).value.id;
    const [cancelled, decided] = await Promise.all([
      cancelRequest(house.wf, { requestId: other, actor: RITA }),
      decideRequest(house.wf, { requestId: other, decider: ANN, outcome: 'Approved' }),
    ]);
    assert.equal([cancelled.kind === 'cancelled', decided.kind === 'decided'].filter(Boolean).length, 1);
    assert.equal((await trail(house, other)).filter((a) => a.startsWith('status:')).length, 1);
  });

  it('answers notFound for an unknown request', async () => {
    assert.deepEqual(await cancelRequest(house.wf, { requestId: 'GR-NOPE', actor: RITA }), { kind: 'notFound' });
  });
});
