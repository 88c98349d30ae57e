/**
 * What comes back from storage is a JSON round trip of what went in: undefined fields vanish and
 * nothing is shared with the caller's object. The memory adapters copy the same way, so a use
 * case that relied on an in-place mutation or an undefined field surviving fails here too.
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
