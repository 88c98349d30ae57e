/**
 * Dates as the reader reads them, through Intl in their locale: "26 Nov 2026, 04:11 UTC" (en-GB),
 * "26. Nov. 2026, 04:11 UTC" (de-DE). Formatted here rather than with the Adaptive Cards
 * DATE()/TIME() functions, which only some clients render (the Agents Playground shows them raw)
 * and which Teams does not apply inside FactSet values. Times stay in UTC: the bot does not know
 * the reader's time zone, and says which one it shows.
 */
const OPTIONS: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
  timeZoneName: 'short',
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(locale: string): Intl.DateTimeFormat {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, OPTIONS);
    // Locales come from Strings (a handful of canonical tags), so the cache stays small.
    if (formats.size < 100) formats.set(locale, format);
  }
  return format;
}

export function formatTime(iso: string | undefined, locale = 'en-GB'): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return formatFor(locale).format(date);
}
