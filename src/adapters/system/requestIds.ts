import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../../domain/ports';

/** Crockford base32 without I, L, O, U: easy to read out and type when someone asks "which one?". */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Request ids like GR-7K3F9Q2M4T: 50 random bits, short enough to quote, never guessable in sequence. */
export class RandomRequestIds implements IdGenerator {
  newRequestId(): string {
    const bytes = randomBytes(10);
    let id = '';
    for (const byte of bytes) id += ALPHABET[byte % 32];
    return `GR-${id}`;
  }

  newToken(): string {
    return randomUUID();
  }
}
