/**
 * How an approval message (where one approver's card landed) is laid out: in the Requests table,
 * in its request's own partition, row key "card_" + the approver, so that re-sending a card to the
 * same approver replaces the old location, the cards are read with the request in one query, and
 * a fan-out stores all of them (and gives up its lease) in one transaction.
 */
import type { ApprovalMessage } from '../../domain/guestRequest';
import { checkedKey, encodeKeyPart } from './tableKeys';
import { fromJsonColumn, toAsciiJson } from './asciiJson';
import { requestPartitionKey } from './requestEntity';

export type ApprovalMessageEntity = {
  partitionKey: string;
  rowKey: string;
  json: string;
  activityId: string;
  conversationId: string;
};

/** Card rows sort after the audit trail ("audit_…") and the request ("request"), before nothing else. */
export const CARD_ROW_PREFIX = 'card_';
/** The first row key after every card row ("`" follows "_" in ASCII). */
export const CARD_ROW_END = 'card`';

export function toApprovalMessageEntity(message: ApprovalMessage): ApprovalMessageEntity {
  return {
    partitionKey: requestPartitionKey(message.requestId),
    rowKey: checkedKey(`${CARD_ROW_PREFIX}${encodeKeyPart(message.approverId)}`, 'approval message row'),
    json: toAsciiJson(message),
    activityId: message.activityId,
    conversationId: message.address.conversationId,
  };
}

export function fromApprovalMessageEntity(entity: Record<string, unknown>): ApprovalMessage | undefined {
  return fromJsonColumn<ApprovalMessage>(entity);
}

export function isApprovalMessageRow(rowKey: string): boolean {
  return rowKey >= CARD_ROW_PREFIX && rowKey < CARD_ROW_END;
}
