/**
 * Remembers the 1:1 chat Teams gave the bot with each approver. Teams keeps one personal chat per
 * bot and user, and creating it again only returns the same id, so after the first card an
 * approver's cards go straight into that chat: one connector call instead of two. Bounded (least
 * recently used out) and per process; a forgotten or stale entry only costs the create again.
 */
import { RecentMap } from '../system/recentMap';

export class ConversationCache {
  private readonly entries: RecentMap<string>;

  constructor(capacity = 10_000) {
    this.entries = new RecentMap(capacity);
  }

  get(serviceUrl: string, tenantId: string | undefined, userId: string): string | undefined {
    return this.entries.get(keyOf(serviceUrl, tenantId, userId));
  }

  set(serviceUrl: string, tenantId: string | undefined, userId: string, conversationId: string): void {
    this.entries.set(keyOf(serviceUrl, tenantId, userId), conversationId);
  }

  forget(serviceUrl: string, tenantId: string | undefined, userId: string): void {
    this.entries.delete(keyOf(serviceUrl, tenantId, userId));
  }
}

function keyOf(serviceUrl: string, tenantId: string | undefined, userId: string): string {
  // Object ids are GUIDs: compare them case-insensitively, like everywhere else.
  return `${serviceUrl}\n${tenantId ?? ''}\n${userId.toLowerCase()}`;
}
