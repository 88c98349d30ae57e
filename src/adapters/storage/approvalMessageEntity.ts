/**
 * How an approval message (where one approver's card landed) is laid out: partition = the request,
 * row key = the approver, so re-sending a card to the same approver replaces the old location.
 */
import type { ApprovalMessage } from '../../domain/guestRequest';
import { checkedKey, encodeKeyPart } from './tableKeys';
import { fromJsonColumn, toAsciiJson } from './asciiJson';

export interface ApprovalMessageEntity {
  partitionKey: string;
  rowKey: string;
  json: string;
  activityId: string;
  conversationId: string;
}

export function approvalPartitionKey(requestId: string): string {
  return checkedKey(encodeKeyPart(requestId), 'approval message partition');
}

export function toApprovalMessageEntity(message: ApprovalMessage): ApprovalMessageEntity {
  return {
    partitionKey: approvalPartitionKey(message.requestId),
    rowKey: checkedKey(encodeKeyPart(message.approverId), 'approval message row'),
    json: toAsciiJson(message),
    activityId: message.activityId,
    conversationId: message.address.conversationId,
  };
}

export function fromApprovalMessageEntity(entity: Record<string, unknown>): ApprovalMessage | undefined {
  return fromJsonColumn<ApprovalMessage>(entity);
}
