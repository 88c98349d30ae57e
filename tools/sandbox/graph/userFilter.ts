/**
 * The slice of OData $filter that finding a user by email needs (Microsoft's recommended
 * look-up): mail, userPrincipalName, otherMails/any and proxyAddresses/any, joined by "or".
 * Comparisons are case-insensitive, as they are in Entra ID.
 */
import type { SandboxUser } from './directory';

export type UserPredicate = (user: SandboxUser) => boolean;

export type FilterParse = { readonly ok: true; readonly predicate: UserPredicate } | { readonly ok: false; readonly message: string };

// A quoted OData literal: '' inside it stands for one quote.
const LITERAL = String.raw`'((?:[^']|'')*)'`;
const SIMPLE = new RegExp(String.raw`^(mail|userPrincipalName)\s+eq\s+${LITERAL}$`, 'i');
const ANY = new RegExp(String.raw`^(otherMails|proxyAddresses)/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+${LITERAL}\s*\)$`, 'i');

export function parseUserFilter(filter: string): FilterParse {
  const predicates: UserPredicate[] = [];
  for (const raw of splitOnOr(filter)) {
    const clause = stripParentheses(raw.trim());
    const predicate = parseClause(clause);
    if (!predicate) return { ok: false, message: `Unsupported or invalid query filter clause specified for property: '${clause}'.` };
    predicates.push(predicate);
  }
  if (predicates.length === 0) return { ok: false, message: 'Invalid filter clause: the filter is empty.' };
  return { ok: true, predicate: (user) => predicates.some((p) => p(user)) };
}

function parseClause(clause: string): UserPredicate | undefined {
  const simple = SIMPLE.exec(clause);
  if (simple) {
    const property = (simple[1] as string).toLowerCase();
    const wanted = unquote(simple[2] as string).toLowerCase();
    return property === 'mail' ? (user) => user.mail?.toLowerCase() === wanted : (user) => user.userPrincipalName.toLowerCase() === wanted;
  }
  const any = ANY.exec(clause);
  if (any && any[2] === any[3]) {
    const property = (any[1] as string).toLowerCase();
    const wanted = unquote(any[4] as string).toLowerCase();
    return property === 'othermails'
      ? (user) => user.otherMails.some((value) => value.toLowerCase() === wanted)
      : (user) => user.proxyAddresses.some((value) => value.toLowerCase() === wanted);
  }
  return undefined;
}

/** Splits on the keyword "or" outside quoted literals. */
function splitOnOr(filter: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inLiteral = false;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i] as string;
    if (ch === "'") inLiteral = !inLiteral; // '' toggles twice, which is what an escaped quote needs
    if (!inLiteral && /\s/.test(ch) && /^\s+or\s+/i.test(filter.slice(i))) {
      parts.push(current);
      current = '';
      i += (/^\s+or\s+/i.exec(filter.slice(i)) as RegExpExecArray)[0].length - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function stripParentheses(clause: string): string {
  let result = clause;
  // A clause that opens with "(" is a wrapped clause: a property name never starts with one.
  while (result.startsWith('(') && result.endsWith(')')) {
    result = result.slice(1, -1).trim();
  }
  return result;
}

function unquote(literal: string): string {
  return literal.replace(/''/g, "'");
}
