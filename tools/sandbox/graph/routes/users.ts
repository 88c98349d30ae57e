/**
 * GET /users (with $filter, $select, $top, paging) and GET /users/{id | userPrincipalName}.
 */
import type { SandboxUser } from '../directory';
import { graphError, json, type Reply } from '../reply';
import { parseUserFilter } from '../userFilter';
import { segment, type Route, type SandboxRequest } from './context';
import { page, parseSelect } from './paging';

const USER_PROPERTIES = [
  'id',
  'displayName',
  'mail',
  'otherMails',
  'proxyAddresses',
  'userPrincipalName',
  'userType',
  'externalUserState',
  'createdDateTime',
] as const;
const DEFAULT_PROPERTIES = ['id', 'displayName', 'mail', 'userPrincipalName', 'userType', 'externalUserState'] as const;

export const userRoutes: Route[] = [
  { method: 'GET', pattern: /^\/users$/, handle: listUsers },
  { method: 'GET', pattern: /^\/users\/([^/]+)$/, handle: getUser },
];

async function listUsers(request: SandboxRequest): Promise<Reply> {
  const select = parseSelect(request, USER_PROPERTIES, 'microsoft.graph.user');
  if (!select.ok) return graphError(request, 400, 'BadRequest', select.message);
  let users = request.state.directory.listUsers();
  const filter = request.query.get('$filter');
  if (filter !== null) {
    const parsed = parseUserFilter(filter);
    if (!parsed.ok) return graphError(request, 400, 'Request_UnsupportedQuery', parsed.message);
    users = users.filter(parsed.predicate);
  }
  const paged = page(users, request);
  if (!paged.ok) return graphError(request, 400, 'BadRequest', paged.message);
  const context = select.fields ? `users(${select.fields.join(',')})` : 'users';
  return json(200, {
    '@odata.context': `${request.graphBaseUrl}/$metadata#${context}`,
    ...(paged.nextLink ? { '@odata.nextLink': paged.nextLink } : {}),
    value: paged.items.map((user) => project(user, select.fields)),
  });
}

async function getUser(request: SandboxRequest, match: RegExpExecArray): Promise<Reply> {
  const select = parseSelect(request, USER_PROPERTIES, 'microsoft.graph.user');
  if (!select.ok) return graphError(request, 400, 'BadRequest', select.message);
  const key = segment(match);
  const user = request.state.directory.getUser(key);
  if (!user) return notFound(request, key);
  return json(200, { '@odata.context': `${request.graphBaseUrl}/$metadata#users/$entity`, ...project(user, select.fields) });
}

/** Graph always returns id, whatever $select says. */
function project(user: SandboxUser, fields: readonly string[] | undefined): Record<string, unknown> {
  const wanted = new Set<string>(['id', ...(fields ?? DEFAULT_PROPERTIES)]);
  const result: Record<string, unknown> = {};
  for (const name of USER_PROPERTIES) if (wanted.has(name)) result[name] = user[name];
  return result;
}

export function notFound(request: SandboxRequest, id: string): Reply {
  return graphError(
    request,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}
