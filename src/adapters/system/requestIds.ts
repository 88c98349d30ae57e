import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../../domain/ports';

/** Crockford base32 without I, L, O, U: easy to read out and type when someone asks "which one?". */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Request ids like GR-7K3F9Q2M4T: 50 random bits, short enough to quote, never guessable in sequence. */
export class RandomRequestIds implements IdGenerator {
  newRequestId(): string {
    return requestId(randomBytes(10));
  }

  newToken(): string {
    return randomUUID();
  }

  /**
   * A hash of requester and token in the same shape as a random id: the token is unguessable and
   * only on that requester's card, so the id is too; another requester's same token gives another id.
   */
  requestIdFor(requesterId: string, submissionId: string): string {
    return requestId(createHash('sha256').update(`guest-access submission\n${requesterId}\n${submissionId}`, 'utf8').digest());
  }
}

function requestId(bytes: Uint8Array): string {
  let id = '';
  for (const byte of bytes.subarray(0, 10)) id += ALPHABET[byte % 32];
  return `GR-${id}`;
}
