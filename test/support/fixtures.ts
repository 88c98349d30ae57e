/** Hand-built domain values for unit tests. */
import type { GuestRequest } from '../../src/domain/guestRequest';

export function sampleRequest(overrides: Partial<GuestRequest> = {}): GuestRequest {
  return {
    id: 'GR-TEST000001',
    status: 'Pending',
    guest: { email: 'gina@fabrikam.com', sendInvitationMessage: false },
    justification: 'Q3',
    requester: { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Rita' },
    requesterAddress: { serviceUrl: 'http://127.0.0.1:1', channelId: 'msteams', conversationId: 'a:1' },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
