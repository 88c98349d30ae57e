/**
 * Watches the fake Bot Connector for the two messages a flow waits on, without rescanning every
 * call for every waiter: new calls are indexed once (by conversation and request id) and each
 * wait is a map lookup. Times come from the connector's own record of when a call arrived.
 */
import type { ConnectorCall, FakeConnector } from '../fakeConnector';

const REQUEST_ID = /GR-[0-9A-Z]{10}/g;
const REDEEM_LINK = 'login.microsoftonline.com/redeem';

export type MessageKind = 'approvalCard' | 'redeemLink';

export class ConnectorIndex {
  private cursor = 0;
  private readonly seen = new Map<string, ConnectorCall>();

  constructor(private readonly connector: FakeConnector) {}

  /**
   * An approver's 1:1 chat: the one the bot opened (fake connector's rule) or, once they have used
   * the bot, their own (its stored conversation reference): both are the same person's chat here.
   */
  approverChat(approverAadId: string): string {
    return chatKey(this.connector.conversationWith(approverAadId));
  }

  /** Resolves with the first matching call (waiting for it if needed); rejects after timeoutMs. */
  wait(kind: MessageKind, conversationId: string, requestId: string, timeoutMs: number): Promise<ConnectorCall> {
    const key = `${kind}|${chatKey(conversationId)}|${requestId}`;
    return this.connector.waitFor(() => {
      this.refresh();
      return this.seen.get(key);
    }, timeoutMs);
  }

  find(kind: MessageKind, conversationId: string, requestId: string): ConnectorCall | undefined {
    this.refresh();
    return this.seen.get(`${kind}|${chatKey(conversationId)}|${requestId}`);
  }

  /** Forget everything seen so far (between phases; the connector's own list is reset separately). */
  reset(): void {
    this.cursor = 0;
    this.seen.clear();
  }

  private refresh(): void {
    const calls = this.connector.calls;
    if (calls.length < this.cursor) this.cursor = 0; // the connector was reset
    for (; this.cursor < calls.length; this.cursor++) {
      const call = calls[this.cursor] as ConnectorCall;
      if (call.operation !== 'sendToConversation' && call.operation !== 'replyToActivity') continue;
      const text = JSON.stringify(call.body);
      const kind: MessageKind | undefined = text.includes('"verb":"approve"')
        ? 'approvalCard'
        : text.includes(REDEEM_LINK)
          ? 'redeemLink'
          : undefined;
      if (!kind) continue;
      for (const id of new Set(text.match(REQUEST_ID) ?? [])) {
        const key = `${kind}|${chatKey(call.conversationId)}|${id}`;
        if (!this.seen.has(key)) this.seen.set(key, call);
      }
    }
  }
}

/** One key per person's 1:1 chat, whichever of its two ids (opened by the bot, or the person's own) a call used. */
function chatKey(conversationId: string): string {
  return conversationId.replace(/^a:(?:1on1|personal)-/, 'person:').toLowerCase();
}
