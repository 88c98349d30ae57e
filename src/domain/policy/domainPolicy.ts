/**
 * Which guest domains may be invited. An entry covers the domain itself and every subdomain:
 * `contoso.com` covers `contoso.com` and `eu.contoso.com`, but not `notcontoso.com`.
 * Blocked wins over allowed; the organisation's own domains are never guests.
 */
import { type Problem, problem } from '../problems';

export interface DomainPolicy {
  /** Empty = any domain (except blocked and the organisation's own). */
  readonly allowed: readonly string[];
  readonly blocked: readonly string[];
  readonly organisation: readonly string[];
}

export type PolicyCheck = { ok: true } | { ok: false; problem: Problem };

export function normaliseDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^\*?\./, '')
    .replace(/\.$/, '');
}

export function domainCovers(entry: string, domain: string): boolean {
  const rule = normaliseDomain(entry);
  const candidate = normaliseDomain(domain);
  return rule.length > 0 && (candidate === rule || candidate.endsWith(`.${rule}`));
}

export function checkDomainPolicy(policy: DomainPolicy, domain: string): PolicyCheck {
  if (policy.organisation.some((entry) => domainCovers(entry, domain))) {
    return { ok: false, problem: problem('policy.organisation', { domain }) };
  }
  if (policy.blocked.some((entry) => domainCovers(entry, domain))) {
    return { ok: false, problem: problem('policy.blocked', { domain }) };
  }
  if (policy.allowed.length > 0 && !policy.allowed.some((entry) => domainCovers(entry, domain))) {
    return { ok: false, problem: problem('policy.notAllowed', { domain, allowed: policy.allowed.join(', ') }) };
  }
  return { ok: true };
}
