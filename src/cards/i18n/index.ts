/** Picks the strings for a Teams locale ("de-DE", "de-AT", "en-US", …); English when unknown. */
import { de } from './de';
import { en } from './en';
import type { RequestStatus } from '../../domain/guestRequest';
import type { Strings } from './strings';

export type { Strings } from './strings';

export function stringsFor(locale: string | undefined): Strings {
  const language = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return language === 'de' ? de : en;
}

/**
 * A domain problem in the reader's words (parameters are plain text already). The domain names a
 * request's status by its code; the reader gets the status's name in their language.
 */
export function describeProblem(t: Strings, problem: { code: keyof Strings['problems']; params?: Readonly<Record<string, string | number>> }): string {
  const params = problem.params ?? {};
  const status = params.status;
  const named = typeof status === 'string' && Object.hasOwn(t.status.names, status) ? { ...params, status: t.status.names[status as RequestStatus] } : params;
  return t.problems[problem.code](named);
}
