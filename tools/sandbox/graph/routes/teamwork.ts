/**
 * The Teams app routes of proactive installation, with Graph's status codes and error bodies:
 * GET /appCatalogs/teamsApps?$filter=externalId eq '…'; POST /users/{id}/teamwork/installedApps
 * (201; 409 Conflict when installed already; 403 or 404 when refused); GET
 * /users/{id}/teamwork/installedApps (optionally $filter=teamsApp/externalId eq '…', $expand);
 * GET /users/{id}/teamwork/installedApps/{installationId}/chat.
 */
import type { CatalogApp, UserInstallation } from '../teamsApps';
import { graphError, json, type Reply } from '../reply';
import { INVALID_JSON_MESSAGE, readJsonBody, segment, type Route, type SandboxRequest } from './context';
import { notFound } from './users';

export const teamworkRoutes: Route[] = [
  { method: 'GET', pattern: /^\/appCatalogs\/teamsApps$/, handle: listCatalog },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps$/, handle: installForUser },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps$/, handle: listInstalled },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)\/chat$/, handle: installationChat },
];

/** The one filter form the bot uses: `<property> eq '<value>'`. */
function equalsFilter(filter: string | null, property: string): { ok: true; value?: string } | { ok: false } {
  if (filter === null) return { ok: true };
  const match = new RegExp(`^\\s*${property.replace('/', '\\/')}\\s+eq\\s+'((?:[^']|'')*)'\\s*$`, 'i').exec(filter);
  return match ? { ok: true, value: match[1]!.replace(/''/g, "'") } : { ok: false };
}

async function listCatalog(request: SandboxRequest): Promise<Reply> {
  const filter = equalsFilter(request.query.get('$filter'), 'externalId');
  if (!filter.ok) return graphError(request, 400, 'BadRequest', 'Invalid filter clause');
  const apps =
    filter.value === undefined ? [] : [request.state.teamsApps.byExternalId(filter.value)].filter((a): a is CatalogApp => a !== undefined);
  return json(200, { '@odata.context': `${request.graphBaseUrl}/$metadata#appCatalogs/teamsApps`, value: apps });
}

async function installForUser(request: SandboxRequest, match: RegExpExecArray): Promise<Reply> {
  const userId = segment(match);
  const body = readJsonBody(request);
  if (!body.ok) return graphError(request, 400, 'BadRequest', INVALID_JSON_MESSAGE);
  const bind = (body.value as Record<string, unknown> | null)?.['teamsApp@odata.bind'];
  const catalogId = typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/?#]+)$/.exec(bind)?.[1] : undefined;
  if (!catalogId)
    return graphError(
      request,
      400,
      'BadRequest',
      "The 'teamsApp@odata.bind' property is required and must reference an app in the catalog.",
    );
  const user = request.state.directory.getUser(userId);
  if (!user) return notFound(request, userId);
  const refusal = request.state.teamsApps.refusalFor(user.id);
  if (refusal === 403)
    return graphError(
      request,
      403,
      'Forbidden',
      "Forbidden: the app installation is blocked for this user by the organisation's app permission policy.",
    );
  if (refusal === 404) return notFound(request, userId);
  const app = request.state.teamsApps.app(decodeURIComponent(catalogId));
  if (!app) return graphError(request, 404, 'NotFound', `The definition for app '${catalogId}' was not found.`);
  if (request.state.teamsApps.installationOf(user.id, app.id)) return graphError(request, 409, 'Conflict', 'App is already installed.');
  request.state.teamsApps.installs.push(request.state.teamsApps.install(user.id, app.id));
  return json(201);
}

async function listInstalled(request: SandboxRequest, match: RegExpExecArray): Promise<Reply> {
  const userId = segment(match);
  const user = request.state.directory.getUser(userId);
  if (!user) return notFound(request, userId);
  const filter = equalsFilter(request.query.get('$filter'), 'teamsApp/externalId');
  if (!filter.ok) return graphError(request, 400, 'BadRequest', 'Invalid filter clause');
  const expand = (request.query.get('$expand') ?? '').split(',').map((e) => e.trim());
  const items = request.state.teamsApps
    .installationsOf(user.id)
    .map((installation) => ({ installation, app: request.state.teamsApps.app(installation.teamsAppId) }))
    .filter(({ app }) => filter.value === undefined || app?.externalId.toLowerCase() === filter.value.toLowerCase())
    .map(({ installation, app }) => view(installation, app, expand));
  return json(200, { '@odata.context': `${request.graphBaseUrl}/$metadata#users('${user.id}')/teamwork/installedApps`, value: items });
}

async function installationChat(request: SandboxRequest, match: RegExpExecArray): Promise<Reply> {
  const userId = segment(match);
  const installationId = segment(match, 2);
  const user = request.state.directory.getUser(userId);
  if (!user) return notFound(request, userId);
  const installation = request.state.teamsApps.installationsOf(user.id).find((i) => i.id === installationId);
  if (!installation) return graphError(request, 404, 'NotFound', `The app installation '${installationId}' was not found.`);
  return json(200, {
    '@odata.context': `${request.graphBaseUrl}/$metadata#chats/$entity`,
    id: installation.chatId,
    chatType: 'oneOnOne',
    topic: null,
  });
}

function view(installation: UserInstallation, app: CatalogApp | undefined, expand: readonly string[]): Record<string, unknown> {
  return {
    id: installation.id,
    ...(expand.includes('teamsApp') && app ? { teamsApp: app } : {}),
    ...(expand.includes('teamsAppDefinition') && app
      ? { teamsAppDefinition: { id: `${app.id}-def`, teamsAppId: app.id, displayName: app.displayName, version: '1.0.0' } }
      : {}),
  };
}
