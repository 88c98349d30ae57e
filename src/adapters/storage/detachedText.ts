/**
 * Strings worth keeping, cut loose from the text they were parsed out of. V8 makes a long enough
 * substring a view into its parent, which then lives as long as the substring does. The SDK parses
 * a transaction's sub-responses out of the whole batch response, so an eTag kept for the next
 * write (the recent versions, the requester limits, the leases) would hold that whole response in
 * memory: 0.5–3 KB per remembered row instead of 50 bytes (found with `npm run bench -- --soak
 * --heap-snapshots`, README "Performance").
 */
import type { TableTransactionResponse } from '@azure/data-tables';

/** A copy of `text` that shares no memory with any other string. */
export function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** The eTag of the `index`th operation of a committed transaction (in the order they were sent), detached. */
export function etagAt(result: TableTransactionResponse, index: number): string | undefined {
  const etag = result.subResponses[index]?.etag;
  return etag === undefined ? undefined : detached(etag);
}
