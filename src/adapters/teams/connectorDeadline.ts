/**
 * Deadlines on Bot Connector calls. botbuilder builds its ConnectorClients inside the CloudAdapter,
 * through the authentication's connector factories, and sends without a time-out or abort signal
 * (and its factory replaces any request policies given in its options). So the factories are
 * wrapped here: every conversation operation of the clients they build (create conversation, send,
 * reply, update, delete) gets a deadline per attempt and the cancellation in scope (a notifier
 * call's deadline, an invoke's budget; see deadlines.ts), so a call that is given up on is also
 * aborted on the wire and cannot land later. The turns' own replies go through the same clients.
 *
 * The clients are also kept and used again. For every turn and every proactive call botbuilder
 * builds a new ConnectorClient and a new user-token client (each with its pipeline, policies and
 * credentials), though each depends only on what it is built from; that building was an eighth of
 * everything the bot allocated under load (README, Performance). botbuilder's older
 * BotFrameworkAdapter kept its connector clients the same way.
 */
import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { sharedWithinBy, withDeadline, withScopeSignal } from '../system/deadlines';
import { RecentMap } from '../system/recentMap';

// botbuilder does not re-export these types of botframework-connector's.
type Base = ConfigurationBotFrameworkAuthentication;
type ClaimsIdentity = Parameters<Base['createConnectorFactory']>[0];
type ConnectorFactory = ReturnType<Base['createConnectorFactory']>;
type AuthenticateRequestResult = Awaited<ReturnType<Base['authenticateRequest']>>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<Base['createUserTokenClient']>>;
type ServiceClientCredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;
type ServiceClientCredentials = Awaited<ReturnType<ServiceClientCredentialsFactory['createCredentials']>>;

/** Clients kept: one per service URL and identity in practice; the bound only guards against a flood of URLs. */
const MAX_KEPT_CLIENTS = 100;

export class DeadlineBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  /** Guarded clients by what they were built from (clientKey), shared by the factories of every turn. */
  private readonly clients = new RecentMap<Promise<ConnectorClient>>(MAX_KEPT_CLIENTS);
  /** User-token clients by app id. */
  private readonly userTokenClients = new RecentMap<Promise<UserTokenClient>>(MAX_KEPT_CLIENTS);

  constructor(
    credentialsFactory: ServiceClientCredentialsFactory,
    private readonly attemptTimeoutMs: number,
  ) {
    super({}, new TokenDeadlineCredentialsFactory(credentialsFactory, attemptTimeoutMs));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.withDeadlines(super.createConnectorFactory(claimsIdentity));
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.withDeadlines(result.connectorFactory) } : result;
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.withDeadlines(result.connectorFactory) } : result;
  }

  /**
   * botbuilder also builds a user-token client (for sign-in prompts, which this bot has none of) for
   * every turn and proactive call; it depends only on the app id (ParameterizedBotFrameworkAuthentication).
   */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = appIdOf(claimsIdentity);
    if (appId === undefined) return super.createUserTokenClient(claimsIdentity);
    return kept(this.userTokenClients, appId, () => super.createUserTokenClient(claimsIdentity));
  }

  private withDeadlines(factory: ConnectorFactory): ConnectorFactory {
    const build = async (serviceUrl: string, audience?: string) =>
      guarded(await factory.create(serviceUrl, audience), this.attemptTimeoutMs);
    return {
      create: (serviceUrl: string, audience?: string) => {
        const key = clientKey(factory, serviceUrl, audience);
        return key === undefined ? build(serviceUrl, audience) : kept(this.clients, key, () => build(serviceUrl, audience));
      },
    };
  }
}

/** The client kept under `key`, else a new one, kept unless it cannot be built (the next call then tries again). */
function kept<T>(clients: RecentMap<Promise<T>>, key: string, build: () => Promise<T>): Promise<T> {
  const known = clients.get(key);
  if (known) return known;
  const client = build();
  clients.set(key, client);
  client.catch(() => clients.get(key) === client && clients.delete(key));
  return client;
}

/** The app id botbuilder gives a turn's clients: the token's audience, else its appid claim (getAppId there). */
function appIdOf(claimsIdentity: ClaimsIdentity): string | undefined {
  const identity = claimsIdentity as { getClaimValue?: unknown };
  if (typeof identity.getClaimValue !== 'function') return undefined;
  return claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
}

/**
 * What botbuilder's connector factory builds a client from (ConnectorFactoryImpl: the app id, the
 * audience, the login endpoint and authority check, besides the credentials factory and client
 * options, which are this authentication's own), as a key; undefined for a factory of another
 * shape, whose clients are then built every time as before.
 */
export function clientKey(factory: ConnectorFactory, serviceUrl: string, audience?: string): string | undefined {
  const { appId, toChannelFromBotOAuthScope, loginEndpoint, validateAuthority } = factory as unknown as Record<string, unknown>;
  const text = (value: unknown) => value === undefined || typeof value === 'string';
  if (!text(appId) || !text(toChannelFromBotOAuthScope) || typeof loginEndpoint !== 'string' || typeof validateAuthority !== 'boolean')
    return undefined;
  return JSON.stringify([appId ?? '', audience ?? toChannelFromBotOAuthScope ?? '', loginEndpoint, validateAuthority, serviceUrl]);
}

/**
 * Every operation of `client.conversations` takes `(…its arguments, options?, callback?)`: the
 * options (core-http's RequestOptionsBase) get `timeout` (per attempt) and `abortSignal`.
 */
function guarded(client: ConnectorClient, attemptTimeoutMs: number): ConnectorClient {
  const operations = client.conversations as unknown as Record<string, unknown>;
  const prototype = Object.getPrototypeOf(operations) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const operation = prototype[name];
    if (name === 'constructor' || typeof operation !== 'function' || operation.length < 2) continue;
    const at = operation.length - 2;
    operations[name] = (...args: unknown[]) => {
      const given = args[at];
      if (typeof given === 'function') return (operation as (...a: unknown[]) => unknown).apply(operations, args);
      const options = (given ?? {}) as { timeout?: number; abortSignal?: AbortSignal };
      const timeout = options.timeout && options.timeout > 0 ? Math.min(options.timeout, attemptTimeoutMs) : attemptTimeoutMs;
      const copy = [...args];
      copy[at] = { ...options, timeout, abortSignal: withScopeSignal(options.abortSignal) };
      return (operation as (...a: unknown[]) => unknown).apply(operations, copy);
    };
  }
  return client;
}

/**
 * The bot's own token for the Bot Connector, within a deadline. botbuilder's app credentials get it
 * from MSAL, whose token request (a POST) has no time-out, and ask for it while signing a request,
 * before the per-attempt deadline above applies: a login endpoint that takes the connection and
 * never answers would hold every reply and card behind it. A refresh is shared by everyone who
 * needs it meanwhile (per app and audience: botbuilder makes new credentials for every client) and
 * each caller stops waiting at the deadline, or at its own.
 */
export class TokenDeadlineCredentialsFactory implements ServiceClientCredentialsFactory {
  /** Refreshes in flight per app, audience and login endpoint, each with the credentials of whoever asked first. */
  private readonly refresh: (key: string, getToken: (forceRefresh: boolean) => Promise<string>) => Promise<string>;

  constructor(
    private readonly inner: ServiceClientCredentialsFactory,
    private readonly timeoutMs: number,
  ) {
    this.refresh = sharedWithinBy(
      timeoutMs,
      () => 'Bot Connector token',
      (getToken) => getToken(false),
    );
  }

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  async createCredentials(
    appId: string,
    audience: string | undefined,
    loginEndpoint: string,
    validateAuthority: boolean,
  ): Promise<ServiceClientCredentials> {
    const credentials = await this.inner.createCredentials(appId, audience, loginEndpoint, validateAuthority);
    const tokens = credentials as { getToken?: (forceRefresh?: boolean) => Promise<string> };
    const original = tokens.getToken?.bind(credentials);
    // Without an app id (local mode) nothing is signed: botbuilder hands out one shared empty instance.
    if (!appId || typeof original !== 'function') return credentials;
    const key = JSON.stringify([appId, audience ?? '', loginEndpoint]);
    const getToken = (forceRefresh = false) =>
      forceRefresh ? withDeadline(this.timeoutMs, 'Bot Connector token', () => original(true)) : this.refresh(key, original);
    // A view of the credentials with this getToken, never a change to them: an instance the inner
    // factory hands out again would otherwise be wrapped once more on every call.
    return Object.create(credentials, { getToken: { value: getToken } }) as ServiceClientCredentials;
  }
}
