/**
 * Entra object ids as one canonical spelling. Teams, configuration and Graph may write the same id
 * in upper case, in braces, or with invisible characters pasted along; compared as raw strings
 * those would be different people to the separation-of-duties check. Every id that enters the
 * bot goes through canonicalObjectId, and an id that is not a GUID where one is required means
 * "no identity" (SECURITY.md, threat table).
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Characters nobody types on purpose and that render as nothing: every Unicode format character
 * (zero-width space / joiner / non-joiner, word joiner, BOM, soft hyphen, bidi marks), plus the
 * variation selectors.
 */
const INVISIBLE = /[\p{Cf}\uFE00-\uFE0F]/gu;
/** Longer than any spelling of a GUID worth reading; bounds the work on hostile input. */
const MAX_RAW = 256;

/** The lower-case GUID `raw` spells, or undefined when it is not one. */
export function canonicalObjectId(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_RAW) return undefined;
  let id = raw.replace(INVISIBLE, '').trim();
  if (id.startsWith('{') && id.endsWith('}')) id = id.slice(1, -1).trim();
  id = id.toLowerCase();
  return GUID.test(id) ? id : undefined;
}

/**
 * What two ids are compared by: the canonical GUID, or for anything else (the bot's own "system"
 * actor, a channel key) the same cleaning without the GUID rule, so that two spellings of one
 * non-GUID never count as two people either.
 */
export function idKey(raw: string): string {
  return canonicalObjectId(raw) ?? raw.replace(INVISIBLE, '').trim().toLowerCase();
}

/** Whether two ids name the same person (or group). */
export function sameId(a: string, b: string): boolean {
  return idKey(a) === idKey(b);
}
