/**
 * Remembers the 1:1 chat Teams gave the bot with each approver. Teams keeps one personal chat per
 * bot and user, and creating it again only returns the same id, so after the first card an
 * approver's cards go straight into that chat: one connector call instead of two. Bounded (least
 * recently used out) and per process; a forgotten or stale entry only costs the create again.
 */
export class ConversationCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  get(serviceUrl: string, tenantId: string | undefined, userId: string): string | undefined {
    const key = keyOf(serviceUrl, tenantId, userId);
    const conversationId = this.entries.get(key);
    if (conversationId !== undefined) {
      // Most recently used goes last, so the first key is always the one to drop.
      this.entries.delete(key);
      this.entries.set(key, conversationId);
    }
    return conversationId;
  }

  set(serviceUrl: string, tenantId: string | undefined, userId: string, conversationId: string): void {
    const key = keyOf(serviceUrl, tenantId, userId);
    this.entries.delete(key);
    this.entries.set(key, conversationId);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(serviceUrl: string, tenantId: string | undefined, userId: string): void {
    this.entries.delete(keyOf(serviceUrl, tenantId, userId));
  }
}

function keyOf(serviceUrl: string, tenantId: string | undefined, userId: string): string {
  // Object ids are GUIDs: compare them case-insensitively, like everywhere else.
  return `${serviceUrl}\n${tenantId ?? ''}\n${userId.toLowerCase()}`;
}
