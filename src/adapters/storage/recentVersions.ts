/**
 * The pending requests this process stored or read lately, each as one consistent version: the
 * request, its eTag and its approval cards at that eTag. A decision can then write against it
 * without reading first (RequestStore.get's `recent`), the one round trip an approve needs.
 *
 * Safe across processes because nothing is decided on it alone: every write against it is
 * conditional on its eTag, and every change to the request or to its cards changes that eTag
 * (saveApprovalMessages touches the request row). A version another process has moved past makes
 * the write fail; the writer reads again (conditionalUpdate.ts). Decided requests are dropped: only
 * a Pending request is decided. Bounded in requests and in cards, least recently used out.
 */
import type { ApprovalMessage, GuestRequest } from '../../domain/guestRequest';
import type { StoredRequest } from '../../domain/ports';
import { RecentMap } from '../system/recentMap';

interface Known {
  readonly value: GuestRequest;
  readonly etag: string;
  readonly approvalMessages: readonly ApprovalMessage[];
}

const CAPACITY = 1000;
/**
 * Bounded by the cards they hold too (a card's chat address is a few hundred bytes): an approver
 * group of 200 would otherwise keep 200 000 of them. Typical groups (a handful) never reach it.
 */
const MAX_CARDS = 10_000;

export class RecentVersions {
  private readonly entries = new RecentMap<Known>(CAPACITY, {
    maxWeight: MAX_CARDS,
    weigh: (known) => known.approvalMessages.length,
  });

  get(id: string): StoredRequest | undefined {
    return this.entries.get(id);
  }

  /** A version read or created with every card it has (a new request has none). */
  remember(known: Known): void {
    if (known.value.status === 'Pending') this.entries.set(known.value.id, known);
    else this.entries.delete(known.value.id);
  }

  /** The request was written against `previousEtag`: the cards are those of the version it replaced, if known. */
  written(value: GuestRequest, previousEtag: string, etag: string): void {
    const before = this.entries.get(value.id);
    if (before?.etag === previousEtag) this.remember({ value, etag, approvalMessages: before.approvalMessages });
    else this.forget(value.id);
  }

  /** Cards were stored, moving the request from `previousEtag` to `etag` (both known only when the touch was conditional). */
  cardsSaved(requestId: string, messages: readonly ApprovalMessage[], previousEtag?: string, etag?: string): void {
    const before = this.entries.get(requestId);
    if (!before || previousEtag === undefined || etag === undefined || before.etag !== previousEtag) return this.forget(requestId);
    const replaced = new Set(messages.map((m) => m.approverId));
    const approvalMessages = [...before.approvalMessages.filter((m) => !replaced.has(m.approverId)), ...messages];
    this.remember({ value: before.value, etag, approvalMessages });
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
