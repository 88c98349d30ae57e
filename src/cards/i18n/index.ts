/** Picks the strings for a Teams locale ("de-DE", "de-AT", "en-US", …); English when unknown. */
import { de } from './de';
import { en } from './en';
import type { RequestStatus } from '../../domain/guestRequest';
import type { Strings } from './strings';

export type { Strings } from './strings';

/** Strings already picked, per locale as Teams sent it: checking a locale costs more than a card (Intl look-ups). */
const picked = new Map<string, Strings>();
const PICKED_LIMIT = 64;

export function stringsFor(locale: string | undefined): Strings {
  const key = locale ?? '';
  const known = picked.get(key);
  if (known) return known;
  const strings = pickStrings(locale);
  // Any text can arrive as a locale: the memory stays small whatever is sent.
  if (picked.size >= PICKED_LIMIT) picked.clear();
  picked.set(key, strings);
  return strings;
}

function pickStrings(locale: string | undefined): Strings {
  const language = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  const base = language === 'de' ? de : en;
  const canonical = canonicalLocale(locale);
  // Dates follow the reader's own locale (en-US writes "Nov 26, 2026") when it is of this language.
  return canonical && canonical !== base.locale && canonical.toLowerCase().startsWith(`${base.language}-`)
    ? { ...base, locale: canonical }
    : base;
}

function canonicalLocale(locale: string | undefined): string | undefined {
  if (!locale || locale.length > 35) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.trim().replace(/_/g, '-'));
    return canonical && Intl.DateTimeFormat.supportedLocalesOf(canonical).length === 1 ? canonical : undefined;
  } catch {
    return undefined; // not a BCP 47 tag
  }
}

/**
 * A domain problem in the reader's words (parameters are plain text already). The domain names a
 * request's status by its code; the reader gets the status's name in their language.
 */
export function describeProblem(
  t: Strings,
  problem: { code: keyof Strings['problems']; params?: Readonly<Record<string, string | number>> },
): string {
  const params = problem.params ?? {};
  const status = params.status;
  const named =
    typeof status === 'string' && Object.hasOwn(t.status.names, status)
      ? { ...params, status: t.status.names[status as RequestStatus] }
      : params;
  return t.problems[problem.code](named);
}
