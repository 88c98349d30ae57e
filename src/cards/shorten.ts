/**
 * Shortens user text for list cards, which show many requests in one message: Teams refuses a
 * message above about 100 KB, and the request's own card shows the text whole. Cut before the
 * text is made plain (plainText), so an escape is never cut in half; counted in code points, so a
 * surrogate pair is never split.
 */
export const LIST_TEXT_MAX = 120;
export const LIST_NAME_MAX = 80;

export function shorten(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const chars = Array.from(value);
  return chars.length <= max
    ? value
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
