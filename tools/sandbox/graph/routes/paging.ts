/**
 * Graph's server-driven paging: $top picks the page size (1–999), and a page that is not the
 * last carries @odata.nextLink with an opaque $skiptoken. Clients must follow the link, not
 * build their own, and this lets tests prove they do.
 */
import type { SandboxRequest } from './context';

export type Paged<T> = { ok: true; items: T[]; nextLink?: string } | { ok: false; message: string };

export function page<T>(all: readonly T[], request: SandboxRequest, defaultTop = 100): Paged<T> {
  const topText = request.query.get('$top');
  let top = defaultTop;
  if (topText !== null) {
    top = Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > 999) {
      return { ok: false, message: `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.` };
    }
  }
  const tokenText = request.query.get('$skiptoken');
  let offset = 0;
  if (tokenText !== null) {
    offset = Number(
      Buffer.from(tokenText, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0) return { ok: false, message: "Invalid '$skiptoken' value." };
  }
  const items = all.slice(offset, offset + top);
  if (offset + top >= all.length) return { ok: true, items };
  const next = new URLSearchParams(request.query);
  next.set('$skiptoken', Buffer.from(`offset:${offset + top}`, 'utf8').toString('base64url'));
  return { ok: true, items, nextLink: `${request.graphBaseUrl}${request.path}?${next.toString()}` };
}

/** Reads $select against the properties a type has; undefined = no $select given. */
export function parseSelect(
  request: SandboxRequest,
  known: readonly string[],
  typeName: string,
): { ok: true; fields: string[] | undefined } | { ok: false; message: string } {
  const text = request.query.get('$select');
  if (text === null) return { ok: true, fields: undefined };
  const fields = text
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  const lowerKnown = new Map(known.map((name) => [name.toLowerCase(), name]));
  const resolved: string[] = [];
  for (const field of fields) {
    const name = lowerKnown.get(field.toLowerCase());
    if (!name)
      return {
        ok: false,
        message: `Parsing OData Select and Expand failed: Could not find a property named '${field}' on type '${typeName}'.`,
      };
    resolved.push(name);
  }
  return { ok: true, fields: resolved };
}
