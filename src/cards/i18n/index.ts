/** Picks the strings for a Teams locale ("de-DE", "de-AT", "en-US", …); English when unknown. */
import { de } from './de';
import { en } from './en';
import type { Strings } from './strings';

export type { Strings } from './strings';

export function stringsFor(locale: string | undefined): Strings {
  const language = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return language === 'de' ? de : en;
}

/** A domain problem in the reader's words (parameters are plain text already). */
export function describeProblem(t: Strings, problem: { code: keyof Strings['problems']; params?: Readonly<Record<string, string | number>> }): string {
  return t.problems[problem.code](problem.params ?? {});
}
