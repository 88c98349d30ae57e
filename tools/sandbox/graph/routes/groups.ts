/**
 * Groups: GET /groups/{id}, its members and transitiveMembers (paged, $select=id[,displayName]),
 * and POST /groups/{id}/members/$ref to add a member the way Graph takes it.
 */
import type { DirectoryObjectRef } from '../directory';
import { graphError, json, type Reply } from '../reply';
import { INVALID_JSON_MESSAGE, readJsonBody, segment, type Route, type SandboxRequest } from './context';
import { page, parseSelect } from './paging';
import { notFound } from './users';

export const groupRoutes: Route[] = [
  { method: 'GET', pattern: /^\/groups\/([^/]+)$/, handle: getGroup },
  { method: 'GET', pattern: /^\/groups\/([^/]+)\/members$/, handle: (request, match) => listMembers(request, match, 'direct') },
  {
    method: 'GET',
    pattern: /^\/groups\/([^/]+)\/transitiveMembers$/,
    handle: (request, match) => listMembers(request, match, 'transitive'),
  },
  { method: 'POST', pattern: /^\/groups\/([^/]+)\/members\/\$ref$/, handle: addMember },
];

async function getGroup(request: SandboxRequest, match: RegExpExecArray): Promise<Reply> {
  const id = segment(match);
  const group = request.state.directory.getGroup(id);
  if (!group) return notFound(request, id);
  return json(200, { '@odata.context': `${request.graphBaseUrl}/$metadata#groups/$entity`, id: group.id, displayName: group.displayName });
}

async function listMembers(request: SandboxRequest, match: RegExpExecArray, depth: 'direct' | 'transitive'): Promise<Reply> {
  const id = segment(match);
  const select = parseSelect(request, ['id', 'displayName'], 'microsoft.graph.directoryObject');
  if (!select.ok) return graphError(request, 400, 'BadRequest', select.message);
  const { directory } = request.state;
  const members = depth === 'direct' ? directory.directMembers(id) : directory.transitiveMembers(id);
  if (!members) return notFound(request, id);
  const paged = page(members, request);
  if (!paged.ok) return graphError(request, 400, 'BadRequest', paged.message);
  const fields = select.fields ?? ['id', 'displayName'];
  return json(200, {
    '@odata.context': `${request.graphBaseUrl}/$metadata#directoryObjects(${fields.join(',')})`,
    ...(paged.nextLink ? { '@odata.nextLink': paged.nextLink } : {}),
    value: paged.items.map((member) => project(member, fields)),
  });
}

function project(member: DirectoryObjectRef, fields: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = { '@odata.type': `#microsoft.graph.${member.type}`, id: member.id };
  if (fields.includes('displayName')) result.displayName = member.displayName;
  return result;
}

async function addMember(request: SandboxRequest, match: RegExpExecArray): Promise<Reply> {
  const groupId = segment(match);
  const body = readJsonBody(request);
  if (!body.ok) return graphError(request, 400, 'BadRequest', INVALID_JSON_MESSAGE);
  const reference =
    typeof body.value === 'object' && body.value !== null ? (body.value as Record<string, unknown>)['@odata.id'] : undefined;
  const objectId = typeof reference === 'string' ? objectIdFromReference(reference) : undefined;
  if (!objectId) {
    return graphError(
      request,
      400,
      'Request_BadRequest',
      'Invalid object identifier: the body must be { "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}" }.',
    );
  }
  switch (request.state.directory.addMember(groupId, objectId)) {
    case 'added':
      return json(204);
    case 'already-member':
      return graphError(
        request,
        400,
        'Request_BadRequest',
        "One or more added object references already exist for the following modified properties: 'members'.",
      );
    case 'no-such-group':
      return notFound(request, groupId);
    case 'no-such-object':
      return notFound(request, objectId);
  }
}

/** Accepts https://graph.microsoft.com/v1.0/directoryObjects/{id} (or /users/{id}, /groups/{id}). */
function objectIdFromReference(reference: string): string | undefined {
  try {
    const url = new URL(reference);
    const match = /\/(?:directoryObjects|users|groups)\/([^/]+)$/.exec(url.pathname);
    return match ? segment(match) : undefined;
  } catch {
    return undefined;
  }
}
