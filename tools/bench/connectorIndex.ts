/**
 * Watches the fake Bot Connector for the messages a flow waits on (the request form a "request"
 * answered, the approval card, the redeem link), without rescanning every
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
  /** Request forms by the id of the message they answer. */
  private readonly forms = new Map<string, ConnectorCall>();

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

  /**
   * The request form the bot sent in answer to message `messageId` (its reply): what Teams shows,
   * with the id the connector gave it (the submit's replyToId) and the form's own action data.
   */
  form(messageId: string, timeoutMs: number): Promise<ConnectorCall> {
    return this.connector.waitFor(() => {
      this.refresh();
      return this.forms.get(messageId);
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
    this.forms.clear();
  }

  private refresh(): void {
    const calls = this.connector.calls;
    if (calls.length < this.cursor) this.cursor = 0; // the connector was reset
    for (; this.cursor < calls.length; this.cursor++) {
      const call = calls[this.cursor] as ConnectorCall;
      if (call.operation !== 'sendToConversation' && call.operation !== 'replyToActivity') continue;
      const text = JSON.stringify(call.body);
      if (call.operation === 'replyToActivity' && call.activityId && text.includes('"verb":"submitRequest"')) {
        if (!this.forms.has(call.activityId)) this.forms.set(call.activityId, call);
        continue;
      }
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
