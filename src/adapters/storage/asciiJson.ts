/**
 * JSON with every non-ASCII character written as a \uXXXX escape. JSON.parse reads it back to the
 * identical string, so this is purely a storage encoding.
 *
 * Why: Azurite (3.35, still open upstream: Azure/Azurite#2670) decodes each chunk of a request
 * body separately, so a multi-byte UTF-8 character that straddles a chunk boundary is stored as
 * U+FFFD. Real Azure does not do this, but tests and `npm run dev` run on Azurite, and silently
 * corrupted names or messages there would be worse than slightly longer JSON everywhere. An
 * ASCII-only body has no multi-byte characters to split.
 */
export function toAsciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The value kept in an entity's `json` column, or undefined when it is missing or unreadable. */
export function fromJsonColumn<T>(entity: Record<string, unknown>): T | undefined {
  if (typeof entity.json !== 'string') return undefined;
  try {
    return JSON.parse(entity.json) as T;
  } catch {
    return undefined;
  }
}
