/**
 * The sweep on memory adapters with a hand-driven clock: the outbox, expiry, the one reminder,
 * missing approval cards, and outcome messages that did not go out. One sweeper at a time.
 */
import { strict as assert } from 'node:assert';
import { sweep, type SweepSettings } from '../../../../src/domain/usecases/sweep/sweep';
import { decideRequest } from '../../../../src/domain/usecases/approval/decideRequest';
import { afterDecision } from '../../../../src/domain/usecases/approval/afterDecision';
import { ANN, BEN, memoryWorkflow, RITA, seedRequest, stored, trail, type MemoryHouse } from '../../../support/memory/memoryWorkflow';
import { transientFailure } from '../../../support/memory/scriptedDirectory';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SETTINGS: SweepSettings = { intervalMs: 60_000, leaseMs: 120_000, expiryMs: 14 * DAY, reminderMs: 24 * HOUR };

describe('sweep', () => {
  let house: MemoryHouse;
  beforeEach(() => {
    house = memoryWorkflow();
  });
  const run = () => sweep(house.wf, SETTINGS);

  it('outbox: invites an Approved request a process left behind, and leaves it alone while Graph is down', async () => {
    house.directory.answerInvite('gina@fabrikam.example', transientFailure(), {
      redeemUrl: 'https://r/1',
      invitedUserId: 'g1',
      status: 'PendingAcceptance',
    });
    const { value } = await seedRequest(house, {
      status: 'Approved',
      decision: { by: ANN, at: house.clock.now().toISOString(), outcome: 'Approved' },
    });
    await run();
    assert.equal((await stored(house, value.id)).status, 'Approved');
    await run();
    const request = await stored(house, value.id);
    assert.equal(request.status, 'Invited');
    assert.equal(house.notifier.delivered('notifyRequester', RITA.id).length, 1);
    assert.equal(house.directory.invites.length, 2);
  });

  it('expiry: a request Pending for the expiry period becomes Expired, the requester is told and every card shows it', async () => {
    const old = (await seedRequest(house)).value.id;
    house.clock.advance(DAY);
    const young = (await seedRequest(house)).value.id;
    house.clock.advance(13 * DAY);
    await run();

    const expired = await stored(house, old);
    assert.equal(expired.status, 'Expired');
    assert.equal(expired.requesterNotifiedAt, house.clock.now().toISOString());
    assert.equal(house.notifier.delivered('notifyRequester', RITA.id).filter((c) => c.request.id === old).length, 1);
    assert.deepEqual(
      house.notifier
        .delivered('updateApprovalCard')
        .filter((c) => c.request.id === old)
        .map((c) => c.person)
        .sort(),
      [ANN.id, BEN.id].sort(),
    );
    const entry = (await house.store.listAudit(old)).at(-1);
    assert.deepEqual(entry && [entry.action, entry.actor.id, entry.detail], ['status:Expired', 'system', 'no decision within 14 days']);
    assert.equal((await stored(house, young)).status, 'Pending', 'a day younger: not yet');
  });

  it('reminders: each approver is reminded once after the reminder period, never before, never twice', async () => {
    const id = (await seedRequest(house)).value.id;
    house.clock.advance(23 * HOUR);
    await run();
    assert.deepEqual(house.notifier.callsOf('remindApprover'), []);
    house.clock.advance(HOUR);
    await run();
    assert.deepEqual(
      house.notifier
        .delivered('remindApprover')
        .map((c) => c.person)
        .sort(),
      [ANN.id, BEN.id].sort(),
    );
    assert.equal((await stored(house, id)).reminderSentAt, house.clock.now().toISOString());
    house.clock.advance(HOUR);
    await run();
    assert.equal(house.notifier.callsOf('remindApprover').length, 2);
  });

  it('one approver who cannot be reminded does not stop the others', async () => {
    await seedRequest(house);
    house.notifier.failPermanently({ method: 'remindApprover', person: ANN.id });
    house.clock.advance(DAY);
    await run();
    assert.deepEqual(
      house.notifier.delivered('remindApprover').map((c) => c.person),
      [BEN.id],
    );
  });

  it('approval routing: a Pending request without cards whose fan-out nobody holds gets them; one whose fan-out is live (its route lease held) is left alone', async () => {
    const orphan = (await seedRequest(house, {}, [])).value.id;
    const live = (await seedRequest(house, {}, [])).value.id;
    // The submitting process claims the fan-out through the route lease (no fixed grace period).
    assert.equal(await house.wf.store.leases.tryAcquire(live, 'route', 'submitting-process', SETTINGS.leaseMs), true);
    await run();
    assert.deepEqual(
      house.notifier
        .delivered('sendApprovalCard')
        .map((c) => [c.request.id, c.person])
        .sort(),
      [
        [orphan, ANN.id],
        [orphan, BEN.id],
      ].sort(),
    );
    assert.equal((await house.store.listApprovalMessages(orphan)).length, 2);
    assert.deepEqual(await house.store.listApprovalMessages(live), []);
  });

  it('redelivery: a denial Teams did not take is told by the next sweep, once', async () => {
    const id = (await seedRequest(house)).value.id;
    house.notifier.failTransiently({ method: 'notifyRequester', times: 1 });
    const decided = await decideRequest(house.wf, { requestId: id, decider: ANN, outcome: 'Denied', reason: 'No project' });
    assert.ok(decided.kind === 'decided');
    await afterDecision(house.wf, decided.request);
    assert.equal((await stored(house, id)).requesterNotifiedAt, undefined);

    house.clock.advance(SETTINGS.intervalMs);
    await run();
    assert.equal((await stored(house, id)).requesterNotifiedAt, house.clock.now().toISOString());
    await run();
    const told = house.notifier.callsOf('notifyRequester', RITA.id);
    assert.deepEqual(
      told.map((c) => [c.request.status, !!c.error]),
      [
        ['Denied', true],
        ['Denied', false],
      ],
    );
  });

  it('a requester who blocked the bot is recorded as unreachable and not retried', async () => {
    const id = (await seedRequest(house)).value.id;
    house.notifier.failPermanently({ method: 'notifyRequester' }, 403);
    house.clock.advance(14 * DAY);
    await run();
    await run();
    assert.deepEqual((await stored(house, id)).requesterUnreachable, { at: house.clock.now().toISOString(), status: 403 });
    assert.equal(house.notifier.callsOf('notifyRequester').length, 1);
  });

  it('does nothing while another instance holds the sweep lease', async () => {
    const id = (await seedRequest(house)).value.id;
    house.clock.advance(14 * DAY);
    assert.equal(await house.leases.tryAcquire('sweep', 'other-instance/t', SETTINGS.leaseMs), true);
    await run();
    assert.equal((await stored(house, id)).status, 'Pending');
    assert.deepEqual(house.notifier.calls, []);
    assert.deepEqual(await trail(house, id), ['submitted']);
  });
});
