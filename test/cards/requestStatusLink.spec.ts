/** Where the redeem link shows: once in the chat, in the link message; on the live card only when that message may not have arrived. */
import { strict as assert } from 'node:assert';
import { en } from '../../src/cards/i18n/en';
import { requestStatusCard } from '../../src/cards/views/requestStatusView';
import { sampleRequest } from '../support/fixtures';

const URL = 'https://login.microsoftonline.com/redeem?rd=ticket-123';
const invited = sampleRequest({
  status: 'Invited',
  guest: { email: 'gina@fabrikam.com', displayName: 'Gina', sendInvitationMessage: false },
  invitation: { invitedUserId: 'u1', status: 'PendingAcceptance', redeemUrl: URL, at: '2026-01-01T00:01:00.000Z' },
});
const has = (card: unknown) => JSON.stringify(card).includes(URL);

describe('the requester status card and the redeem link', () => {
  it('the link message carries the link with its one instruction', () => {
    const card = requestStatusCard(en, { ...invited, requesterNotifiedAt: '2026-01-01T00:01:01.000Z' });
    assert.ok(has(card));
    assert.match(JSON.stringify(card), /Send this link to Gina/);
  });

  it('the live card points to the link message once it arrived, instead of repeating the link', () => {
    const card = requestStatusCard(en, { ...invited, requesterNotifiedAt: '2026-01-01T00:01:01.000Z' }, { live: true });
    assert.ok(!has(card));
    assert.match(JSON.stringify(card), /invitation link for Gina is in the message below/);
  });

  for (const [why, fields] of [
    ['not sent yet', {}],
    [
      'its delivery unconfirmed (at most once)',
      { requesterNotifiedAt: '2026-01-01T00:01:01.000Z', outcomeDeliveryUnconfirmed: true as const },
    ],
    [
      'the requester unreachable',
      { requesterNotifiedAt: '2026-01-01T00:01:01.000Z', requesterUnreachable: { status: 403, at: '2026-01-01T00:01:01.000Z' } },
    ],
  ] as const) {
    it(`the live card carries the link itself when the link message is ${why}`, () => {
      assert.ok(has(requestStatusCard(en, { ...invited, ...fields }, { live: true })));
    });
  }
});
