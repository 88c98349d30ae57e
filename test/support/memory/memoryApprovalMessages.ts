/** Where each approval card landed, per request: one per approver id (saving again replaces it). */
import type { ApprovalMessage } from '../../../src/domain/guestRequest';
import { encodeKeyPart } from '../../../src/adapters/storage/tableKeys';
import { jsonCopy } from './jsonCopy';

export class MemoryApprovalMessages {
  private readonly byRequest = new Map<string, Map<string, ApprovalMessage>>();

  save(message: ApprovalMessage): void {
    // The table store keys them by the escaped approver id: exact, case-sensitive, and in that order.
    const key = encodeKeyPart(message.approverId);
    const messages = this.byRequest.get(message.requestId) ?? new Map<string, ApprovalMessage>();
    messages.set(key, jsonCopy(message));
    this.byRequest.set(message.requestId, messages);
  }

  list(requestId: string): ApprovalMessage[] {
    const messages = this.byRequest.get(requestId);
    if (!messages) return [];
    return [...messages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, message]) => jsonCopy(message));
  }
}
