/**
 * The start-up self-check (runServer logs it) and `npm run doctor` (tools/scripts/doctor.ts prints it):
 * checks a deployment's configuration and what it depends on, one line per check:
 * "ok" or what is wrong and how to fix it. Never prints a secret (storage keys, SAS tokens, client
 * secrets are redacted from any message that reaches the output).
 */
import { createGraphCredential, graphScope, jwtRolesUnverified } from '../adapters/graph/credential';
import { TableLeases } from '../adapters/storage/tableLeases';
import { TableConversationRefs } from '../adapters/storage/tableConversationRefs';
import { GraphDirectory } from '../adapters/graph/graphDirectory';
import { GraphAppInstaller } from '../adapters/graph/appInstallations';
import { createGraphTokenProvider } from '../adapters/graph/credential';
import { channelRoster } from '../adapters/teams/teamRoster';
import { idKey } from '../domain/identity';
import { TableRequestStore } from '../adapters/storage/tableRequestStore';
import type { Config } from '../config/config';
import { isLoopbackUrl, loadConfig } from '../config/loadConfig';

export type Env = Readonly<Record<string, string | undefined>>;

export interface CheckResult {
  readonly name: string;
  readonly status: 'ok' | 'fail' | 'skipped';
  /** For ok/skipped: a short note; for fail: what is wrong and how to fix it. */
  readonly detail: string;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly results: readonly CheckResult[];
}

export interface DoctorOptions {
  /** Per-check time limit (default 20 s). */
  readonly timeoutMs?: number;
  /**
   * The caller (the running server's start-up self-check) has opened the tables already: storage
   * is reported as proven instead of being opened and listed a second time.
   */
  readonly storageOpened?: boolean;
}

const INVITE_ROLE = 'User.Invite.All';
const INSTALL_ROLE = 'TeamsAppInstallation.ReadWriteSelfForUser.All';

export async function runDoctor(env: Env, options: DoctorOptions = {}): Promise<DoctorReport> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const redact = redactor(env);
  const results: CheckResult[] = [];
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    results.push(
      fail(
        'configuration',
        `${loaded.problems.map(redact).join('; ')}. Fix: set these variables (docs/protocol.md §2) in the environment or .env.`,
      ),
    );
    for (const name of ['storage', 'graph', 'bot credentials', 'approvers'])
      results.push({ name, status: 'skipped', detail: 'not checked: fix the configuration first' });
    return { ok: false, results };
  }
  const config = loaded.config;
  results.push(ok('configuration', `valid${config.bot.localMode ? ' (local mode)' : ''}`));

  const guarded = async (name: string, check: () => Promise<CheckResult>): Promise<CheckResult> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        check(),
        new Promise<CheckResult>((resolve) => {
          timer = setTimeout(
            () =>
              resolve(
                fail(
                  name,
                  `no answer within ${Math.round(timeoutMs / 1000)} s. Fix: check the endpoint is reachable from here (network, firewall, DNS).`,
                ),
              ),
            timeoutMs,
          );
          timer.unref();
        }),
      ]);
    } catch (err) {
      return fail(name, `${redact(messageOf(err))}`);
    } finally {
      clearTimeout(timer);
    }
  };

  results.push(
    options.storageOpened
      ? ok('storage', `reachable, tables with prefix "${config.storage.tablePrefix}" opened at start-up`)
      : await guarded('storage', () => checkStorage(config, redact)),
  );
  results.push(await guarded('graph', () => checkGraph(config, env, redact)));
  results.push(checkBotCredentials(config));
  results.push(checkApprovers(config));
  // Only when configured, so a deployment without them sees no extra lines.
  if (config.teamsAppId) results.push(await guarded('app installation', () => checkAppInstallation(config, env, redact)));
  if (config.approvalChannelId) results.push(await guarded('approvers channel', () => checkApproversChannel(config, redact)));
  return { ok: results.every((r) => r.status !== 'fail'), results };
}

/** One line per check, e.g. "ok    storage: reachable, tables present". */
export function formatResult(result: CheckResult): string {
  const mark = result.status === 'ok' ? 'ok  ' : result.status === 'fail' ? 'FAIL' : 'skip';
  return `${mark}  ${result.name}: ${result.detail}`;
}

async function checkStorage(config: Config, redact: (s: string) => string): Promise<CheckResult> {
  const connection = {
    connectionString: config.storage.connectionString,
    tablePrefix: config.storage.tablePrefix,
    clientOptions: { retryOptions: { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 1000 } },
  };
  try {
    const [store] = await Promise.all([TableRequestStore.open(connection), TableLeases.open(connection)]);
    const page = await store.listByStatus('Pending', 1);
    return ok(
      'storage',
      `reachable, tables with prefix "${config.storage.tablePrefix}" present${page.items.length > 0 ? ' (requests pending)' : ''}`,
    );
  } catch (err) {
    return fail('storage', `${redact(messageOf(err))}. Fix: ${storageHint(err)}`);
  }
}

function storageHint(err: unknown): string {
  const e = err as { statusCode?: number; code?: string; message?: string };
  const text = `${e.code ?? ''} ${e.message ?? ''}`;
  if (/parse|connection string/i.test(text) && e.statusCode === undefined) {
    return "STORAGE_CONNECTION_STRING must be the storage account's connection string (Azure portal → Storage account → Access keys), a SAS connection string, or UseDevelopmentStorage=true for Azurite.";
  }
  if (e.statusCode === 403 || e.statusCode === 401 || /Authoriz|Authenticat|Signature/i.test(text)) {
    return 'the account refused the credentials: copy the current AccountKey (or a SAS with table read/write/create rights) into STORAGE_CONNECTION_STRING.';
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|fetch failed|socket/i.test(text) || e.statusCode === undefined) {
    return 'the table endpoint did not answer: check the account name / TableEndpoint in STORAGE_CONNECTION_STRING, the network path and firewall (for local runs: is Azurite running?).';
  }
  return 'check the storage account and STORAGE_CONNECTION_STRING / STORAGE_TABLE_PREFIX.';
}

async function checkGraph(config: Config, env: Env, redact: (s: string) => string): Promise<CheckResult> {
  const baseUrl = config.graph.baseUrl;
  if (isLoopbackUrl(baseUrl)) {
    const origin = new URL(baseUrl).origin;
    try {
      const response = await fetch(`${origin}/_sandbox/stats`, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (!response.ok)
        return fail(
          'graph',
          `the sandbox at ${origin} answered HTTP ${response.status}. Fix: point GRAPH_BASE_URL at the Graph sandbox (npm run dev starts one).`,
        );
      return ok('graph', `sandbox mode (${baseUrl}): token check skipped; the sandbox answers`);
    } catch (err) {
      return fail(
        'graph',
        `sandbox mode, but nothing answers at ${origin} (${redact(messageOf(err))}). Fix: start the Graph sandbox (npm run dev) or correct GRAPH_BASE_URL.`,
      );
    }
  }
  const graphEnv = { ...env, GRAPH_BASE_URL: baseUrl };
  let credential: ReturnType<typeof createGraphCredential>;
  try {
    credential = createGraphCredential(graphEnv);
  } catch (err) {
    return fail(
      'graph',
      `the Graph credential cannot be built: ${redact(firstLine(messageOf(err)))}. Fix: correct the AZURE_* variables (docs/protocol.md §2).`,
    );
  }
  if (!credential) {
    return fail(
      'graph',
      'no Graph credential configured. Fix: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a managed identity).',
    );
  }
  const scope = graphScope(graphEnv);
  let token: string;
  try {
    const got = await credential.getToken(scope);
    if (!got)
      return fail(
        'graph',
        `the ${config.graph.credential} credential returned no token for ${scope}. Fix: check AZURE_TENANT_ID / AZURE_CLIENT_ID and the secret, certificate or managed identity.`,
      );
    token = got.token;
  } catch (err) {
    return fail(
      'graph',
      `no token for ${scope} (${config.graph.credential}): ${redact(firstLine(messageOf(err)))}. Fix: check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret/certificate (expired?), or the managed identity assignment.`,
    );
  }
  const roles = jwtRolesUnverified(token);
  if (!roles.includes(INVITE_ROLE)) {
    return fail(
      'graph',
      `the token lacks the ${INVITE_ROLE} application role (has: ${roles.join(', ') || 'none'}). Fix: add the Microsoft Graph application permission ${INVITE_ROLE} to the app registration (or grant it to the managed identity) and grant admin consent.`,
    );
  }
  return ok('graph', `token obtained (${config.graph.credential}) with ${INVITE_ROLE}`);
}

// loadConfig has already refused what these could find wrong (missing credentials for the app
// type, local mode against a real Graph, no approvers): here they only say what is configured.
function checkBotCredentials(config: Config): CheckResult {
  const bot = config.bot;
  if (bot.localMode) return ok('bot credentials', 'local mode (no MicrosoftAppId): fine for the sandbox only');
  return ok('bot credentials', `present for ${bot.appType}`);
}

function checkApprovers(config: Config): CheckResult {
  const ids = config.approverIds;
  const group = config.approverGroupId ? `, and the members of group ${config.approverGroupId}` : '';
  const unique = new Set(ids.map((id) => id.toLowerCase()));
  const note = unique.size < ids.length ? ` (${ids.length - unique.size} listed twice)` : '';
  return ok('approvers', `${unique.size} configured${note}${group}`);
}

/**
 * TEAMS_APP_ID: the token carries TeamsAppInstallation.ReadWriteSelfForUser.All (not checked in
 * sandbox mode: no token) and the organisation's catalog has the app.
 */
async function checkAppInstallation(config: Config, env: Env, redact: (s: string) => string): Promise<CheckResult> {
  const name = 'app installation';
  const sandbox = isLoopbackUrl(config.graph.baseUrl);
  const getToken = sandbox ? undefined : createGraphTokenProvider({ ...env, GRAPH_BASE_URL: config.graph.baseUrl });
  if (!sandbox) {
    if (!getToken) return fail(name, 'no Graph credential configured (see the graph check).');
    const roles = jwtRolesUnverified(await getToken());
    if (!roles.includes(INSTALL_ROLE)) {
      return fail(
        name,
        `the token lacks the ${INSTALL_ROLE} application role, so the bot cannot install itself for people it cannot reach (TEAMS_APP_ID). Fix: grant the Microsoft Graph application permission ${INSTALL_ROLE} with admin consent (docs/deployment.md, step 5), or unset TEAMS_APP_ID.`,
      );
    }
  }
  const graph = new GraphDirectory({ baseUrl: config.graph.baseUrl, getToken, pacer: null, retry: { maxAttempts: 2 } });
  try {
    const catalogId = await new GraphAppInstaller(graph, config.teamsAppId).catalogAppId();
    return ok(
      name,
      `app ${config.teamsAppId} is in the organisation's catalog (${catalogId})${sandbox ? '; sandbox mode: token check skipped' : ` and the token has ${INSTALL_ROLE}`}`,
    );
  } catch (err) {
    return fail(
      name,
      `${redact(messageOf(err))} Fix: upload the app package (npm run package) in the Teams admin center, with TEAMS_APP_ID = the manifest's id.`,
    );
  }
}

/**
 * APPROVAL_CHANNEL_ID: every approver in APPROVER_IDS is a member of the channel's team (else they
 * get no buttons: refresh.userIds takes the team roster's Teams ids). Needs a serviceUrl Teams gave
 * the bot, from any stored conversation reference.
 */
async function checkApproversChannel(config: Config, redact: (s: string) => string): Promise<CheckResult> {
  const name = 'approvers channel';
  const refs = await TableConversationRefs.open({
    connectionString: config.storage.connectionString,
    tablePrefix: config.storage.tablePrefix,
    clientOptions: { retryOptions: { maxRetries: 1 } },
  });
  const serviceUrl = await refs.anyServiceUrl();
  if (!serviceUrl)
    return {
      name,
      status: 'skipped',
      detail: 'nobody has used the bot yet (no conversation reference stored): the team roster cannot be read; run again later',
    };
  let members;
  try {
    members = await channelRoster(config.bot, serviceUrl, config.approvalChannelId, config.tenantId || undefined);
  } catch (err) {
    return fail(
      name,
      `the roster of the team of ${config.approvalChannelId} could not be read: ${redact(firstLine(messageOf(err)))}. Fix: install the app in that team, and check APPROVAL_CHANNEL_ID.`,
    );
  }
  const inTeam = new Set(members.map((m) => (m.aadObjectId ? idKey(m.aadObjectId) : '')));
  const missing = config.approverIds.filter((id) => !inTeam.has(idKey(id)));
  if (missing.length > 0) {
    return fail(
      name,
      `approvers not in the team of the approvers' channel (they get no buttons there): ${missing.join(', ')}. Fix: add them to that team, or remove them from APPROVER_IDS.`,
    );
  }
  return ok(name, `all ${config.approverIds.length} approvers are members of the channel's team`);
}

/** Removes every secret value the environment holds (and key/signature fields) from a message. */
function redactor(env: Env): (text: string) => string {
  const secrets: string[] = [];
  const conn = env.STORAGE_CONNECTION_STRING ?? '';
  for (const match of conn.matchAll(/(?:AccountKey|SharedAccessSignature)=([^;]+)/gi)) if (match[1]) secrets.push(match[1]);
  for (const name of ['MicrosoftAppPassword', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD']) {
    const value = env[name]?.trim();
    if (value && value.length >= 4) secrets.push(value);
  }
  if (conn.length > 0) secrets.push(conn);
  return (text) => {
    let out = text;
    for (const secret of secrets.sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
    return out.replace(/(AccountKey|SharedAccessSignature|sig)=([^;&\s]+)/gi, '$1=***');
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const fail = (name: string, detail: string): CheckResult => ({ name, status: 'fail', detail: detail.replace(/\.+(?= Fix:)/g, '.') });
