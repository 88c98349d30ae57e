/** expireRequest on memory adapters: only Pending requests old enough; a racing decision wins cleanly. */
import { strict as assert } from 'node:assert';
import { expireRequest } from '../../../../src/domain/usecases/sweep/expireRequests';
import { decideRequest } from '../../../../src/domain/usecases/approval/decideRequest';
import { ANN, memoryWorkflow, seedRequest, stored, trail, type MemoryHouse } from '../../../support/memory/memoryWorkflow';

const DAY = 24 * 3_600_000;

describe('expireRequest', () => {
  let house: MemoryHouse;
  beforeEach(() => {
    house = memoryWorkflow();
  });
  const cutoff = () => house.clock.now().getTime() - 14 * DAY;

  it('expires a Pending request created at or before the cutoff, and not one created after it', async () => {
    const { value: old } = await seedRequest(house);
    house.clock.advance(1);
    const { value: young } = await seedRequest(house);
    house.clock.advance(14 * DAY - 1);
    assert.equal(await expireRequest(house.wf, old, cutoff(), 14), true);
    assert.equal(await expireRequest(house.wf, young, cutoff(), 14), false);
    assert.equal((await stored(house, old.id)).status, 'Expired');
    assert.equal((await stored(house, young.id)).status, 'Pending');
    assert.deepEqual(await trail(house, young.id), ['submitted']);
  });

  it('loses cleanly to a decision that lands between its read and its write', async () => {
    const { value } = await seedRequest(house);
    house.clock.advance(14 * DAY);
    house.store.intercept('update', async () => {
      assert.equal((await decideRequest(house.wf, { requestId: value.id, decider: ANN, outcome: 'Approved' })).kind, 'decided');
    });
    assert.equal(await expireRequest(house.wf, value, cutoff(), 14), false);
    assert.equal((await stored(house, value.id)).status, 'Approved');
    assert.deepEqual(await trail(house, value.id), ['submitted', 'status:Approved']);
    assert.deepEqual(house.notifier.callsOf('notifyRequester'), [], 'nobody is told it expired');
  });

  it('a storage failure is logged and reported as not expired, for the next sweep', async () => {
    const { value } = await seedRequest(house);
    house.clock.advance(14 * DAY);
    house.store.intercept('update', () => {
      throw new Error('storage unavailable');
    });
    assert.equal(await expireRequest(house.wf, value, cutoff(), 14), false);
    assert.equal((await stored(house, value.id)).status, 'Pending');
    assert.deepEqual(await trail(house, value.id), ['submitted'], 'no entry without its transition');
    assert.equal(house.log.find('warn', 'expiry step failed').length, 1);
  });
});
