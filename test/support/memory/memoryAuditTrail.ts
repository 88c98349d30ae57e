/**
 * The audit entries of the memory store: per request, in time order, entries of the same
 * millisecond in the order they were appended (as TableRequestStore's row keys sort them).
 */
import type { AuditEntry } from '../../../src/domain/guestRequest';
import { ascendingTime } from '../../../src/adapters/storage/tableKeys';
import { jsonCopy } from './jsonCopy';

interface Kept {
  readonly entry: AuditEntry;
  readonly sortKey: string;
  readonly sequence: number;
}

export class MemoryAuditTrail {
  private readonly byRequest = new Map<string, Kept[]>();
  private sequence = 0;

  /** Checks an entry the way the table store does before any write (an unorderable time is a RangeError). */
  prepare(entry: AuditEntry): () => void {
    const sortKey = ascendingTime(entry.at, 'Audit entry time');
    const kept: Kept = { entry: jsonCopy(entry), sortKey, sequence: 0 };
    return () => {
      const list = this.byRequest.get(entry.requestId) ?? [];
      list.push({ ...kept, sequence: ++this.sequence });
      this.byRequest.set(entry.requestId, list);
    };
  }

  list(requestId: string): AuditEntry[] {
    const list = [...(this.byRequest.get(requestId) ?? [])];
    list.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.sequence - b.sequence));
    return list.map((kept) => jsonCopy(kept.entry));
  }

  /** Every entry of every request, in append order: for "nothing was audited" checks. */
  all(): AuditEntry[] {
    return [...this.byRequest.values()]
      .flat()
      .sort((a, b) => a.sequence - b.sequence)
      .map((kept) => jsonCopy(kept.entry));
  }
}
