/**
 * The id of a Teams message, as an activity names it (replyToId). It comes with the activity, so it
 * is hostile input: it ends up in the path of a later update (PUT …/activities/{id}). Teams' own ids
 * are digits ("1733367283123") or "1:…"-style; anything longer or with other characters is dropped.
 */
const ACTIVITY_ID = /^[A-Za-z0-9][A-Za-z0-9:._=-]{0,127}$/;

export function wellFormedActivityId(value: unknown): string | undefined {
  return typeof value === 'string' && ACTIVITY_ID.test(value) ? value : undefined;
}
