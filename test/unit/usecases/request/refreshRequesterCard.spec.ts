/**
 * The requester's live card on memory adapters: updated once per outcome, after it was stored (an
 * approval whose invitation is made at once goes straight to Invited; "inviting…" only when Graph
 * cannot be reached now, then the final state from the sweep), only for requests that have a card,
 * and best effort: a failed update is logged and changes nothing else.
 */
import { strict as assert } from 'node:assert';
import type { GuestRequest, RequestStatus } from '../../../../src/domain/guestRequest';
import { afterDecision } from '../../../../src/domain/usecases/approval/afterDecision';
import { decideRequest } from '../../../../src/domain/usecases/approval/decideRequest';
import { cancelRequest } from '../../../../src/domain/usecases/request/cancelRequest';
import { showCurrentState } from '../../../../src/domain/usecases/showCurrentState';
import { expireRequest } from '../../../../src/domain/usecases/sweep/expireRequests';
import { sweepOutbox } from '../../../../src/domain/usecases/sweep/sweepOutbox';
import { transientFailure } from '../../../support/memory/scriptedDirectory';
import { ANN, memoryWorkflow, RITA, seedRequest, stored, type MemoryHouse } from '../../../support/memory/memoryWorkflow';

const CARD = '1733367283123';
const DAY = 24 * 3_600_000;

describe('refreshRequesterCard (the live requester card)', () => {
  let house: MemoryHouse;
  /** Per update of the requester's card: the status it shows, and the status stored when it was sent. */
  let seen: Array<{ shows: RequestStatus; stored: RequestStatus }>;

  beforeEach(() => {
    house = memoryWorkflow();
    seen = [];
    const record = house.notifier.updateRequesterCard.bind(house.notifier);
    house.notifier.updateRequesterCard = async (request: GuestRequest) => {
      seen.push({ shows: request.status, stored: (await stored(house, request.id)).status });
      return record(request);
    };
  });

  const decide = async (id: string, outcome: 'Approved' | 'Denied') => {
    const result = await decideRequest(house.wf, {
      requestId: id,
      decider: ANN,
      outcome,
      ...(outcome === 'Denied' ? { reason: 'No' } : {}),
    });
    assert.equal(result.kind, 'decided');
    if (result.kind === 'decided') await afterDecision(house.wf, result.request, { followUp: result.followUp });
  };

  it('approve, invitation made at once: one update, to Invited, after it was stored and after the link message', async () => {
    const { value } = await seedRequest(house, { requesterCardId: CARD });
    await decide(value.id, 'Approved');
    assert.deepEqual(seen, [{ shows: 'Invited', stored: 'Invited' }]);
    const order = house.notifier.calls.map((c) => `${c.method}:${c.request.status}`);
    assert.ok(
      order.indexOf('updateRequesterCard:Invited') > order.indexOf('notifyRequester:Invited'),
      'the link message goes first (at most once), the card follows',
    );
  });

  it('approve while Graph cannot be reached: "inviting…" (Approved) at once, then Invited when the sweep finishes', async () => {
    const { value } = await seedRequest(house, { requesterCardId: CARD });
    house.directory.answerInvite(value.guest.email, transientFailure(), {
      redeemUrl: 'https://invitations.example/redeem?n=9',
      invitedUserId: 'guest-user-9',
      status: 'PendingAcceptance',
    });
    await decide(value.id, 'Approved');
    assert.equal((await stored(house, value.id)).status, 'Approved');
    assert.deepEqual(seen, [{ shows: 'Approved', stored: 'Approved' }]);
    await sweepOutbox(house.wf);
    assert.equal((await stored(house, value.id)).status, 'Invited');
    assert.deepEqual(seen, [
      { shows: 'Approved', stored: 'Approved' },
      { shows: 'Invited', stored: 'Invited' },
    ]);
  });

  it('deny and expiry: one update each, after the write', async () => {
    const denied = (await seedRequest(house, { requesterCardId: CARD })).value.id;
    await decide(denied, 'Denied');
    const old = (await seedRequest(house, { requesterCardId: CARD })).value;
    house.clock.advance(15 * DAY);
    assert.equal(await expireRequest(house.wf, old, house.clock.now().getTime() - 14 * DAY, 14), true);
    assert.deepEqual(seen, [
      { shows: 'Denied', stored: 'Denied' },
      { shows: 'Expired', stored: 'Expired' },
    ]);
  });

  it('cancel: the state shown after the write reaches the card and the approval cards', async () => {
    const { value } = await seedRequest(house, { requesterCardId: CARD });
    const result = await cancelRequest(house.wf, { requestId: value.id, actor: RITA });
    assert.equal(result.kind, 'cancelled');
    if (result.kind === 'cancelled') await showCurrentState(house.wf, result.request);
    assert.deepEqual(seen, [{ shows: 'Cancelled', stored: 'Cancelled' }]);
    assert.equal(house.notifier.delivered('updateApprovalCard').length, 2);
  });

  it('a request without a card (older, or a malformed replyToId) updates nothing', async () => {
    const { value } = await seedRequest(house);
    await decide(value.id, 'Approved');
    assert.equal((await stored(house, value.id)).status, 'Invited');
    assert.deepEqual(house.notifier.callsOf('updateRequesterCard'), []);
  });

  it('best effort: a failed update is logged; the invitation and the link message go on', async () => {
    house.notifier.failTransiently({ method: 'updateRequesterCard' });
    const { value } = await seedRequest(house, { requesterCardId: CARD });
    await decide(value.id, 'Approved');
    const request = await stored(house, value.id);
    assert.equal(request.status, 'Invited');
    assert.equal(house.notifier.delivered('notifyRequester', RITA.id).length, 1);
    assert.equal(house.log.lines.filter((l) => l.message === 'requester card not updated').length, 1);
  });
});
