/**
 * The composition root: builds the real objects from Config and wires them together. Tests build
 * the same graph through this function, replacing only what sits at the edges (via `overrides`).
 */
import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationServiceClientCredentialFactory, type TurnContext } from 'botbuilder';
import type { Logger as PinoLogger } from 'pino';
import type { Server } from 'restify';
import { GraphDirectory } from './adapters/graph/graphDirectory';
import { createGraphTokenProvider } from './adapters/graph/credential';
import { GroupApprovers } from './adapters/graph/groupApprovers';
import { Pacer } from './adapters/graph/pacer';
import { GraphTeamGroups } from './adapters/graph/teamGroups';
import { DEFAULT_ATTEMPT_TIMEOUT_MS, type TableClientExtras } from './adapters/storage/tableClients';
import { TableLeases } from './adapters/storage/tableLeases';
import { TableRequestStore } from './adapters/storage/tableRequestStore';
import { TableTeamRegistry } from './adapters/storage/tableTeamRegistry';
import { TableConversationRefs } from './adapters/storage/tableConversationRefs';
import { GraphAppInstaller } from './adapters/graph/appInstallations';
import { RandomRequestIds } from './adapters/system/requestIds';
import { systemClock } from './adapters/system/systemClock';
import { BackgroundLane } from './adapters/system/backgroundLane';
import { messageBudget } from './bot/messageBudget';
import { currentSignal, detached, isDeadlineError, withDeadline } from './adapters/system/deadlines';
import { DeadlineBotFrameworkAuthentication } from './adapters/teams/connectorDeadline';
import {
  DEFAULT_CALLS_PER_CHAT,
  DEFAULT_HOLD_SLOT_AT_MOST_MS,
  DEFAULT_TEAMS_CALL_TIMEOUT_MS,
  TeamsNotifier,
} from './adapters/teams/teamsNotifier';
import { openConversation } from './adapters/teams/openConversation';
import { BackgroundWork } from './bot/backgroundWork';
import { errorText } from './domain/usecases/audit';
import { logUndelivered, replyRefusal } from './bot/undelivered';
import { DEFAULT_INVOKE_BUDGET_MS, DEFAULT_MESSAGE_BUDGET_MS, GuestAccessBot } from './bot/guestAccessBot';
import type { Config } from './config/config';
import { LOCAL_MODE_HOST } from './config/loadConfig';
import { ApproverUnion, StaticApprovers } from './domain/lifecycle/authorization';
import type { ApproverRoster, Clock, Directory } from './domain/ports';
import { sweep as runSweep } from './domain/usecases/sweep/sweep';
import type { Workflow } from './domain/usecases/workflow';
import { createLogger } from './logging';
import { createHttpServer } from './server/httpServer';

/**
 * Storage and Teams calls that background work may have in flight at once (see backgroundLane.ts).
 * Measured with `npm run bench`: 4 and 8 gave the same latencies; 8 leaves room for a slow or
 * throttled Teams, whose retries run inside a slot.
 */
const BACKGROUND_SLOTS = 8;

/** Every wait has a deadline (README.md, Reliability). Tests shorten them through AppOverrides. */
export interface Deadlines {
  /** One attempt of a storage call. */
  readonly storageAttemptMs: number;
  /** A card action (invoke) is answered within this. */
  readonly invokeMs: number;
  /** A typed command's turn (its answer sent) ends within this. */
  readonly messageMs: number;
  /** The storage probe behind /readyz (which answers 503 when it does not finish in time). */
  readonly readinessMs: number;
  /** One Teams call from the notifier (open a chat, a message, a card update), retries included. */
  readonly teamsCallMs: number;
  /** One attempt of any HTTP request to the Bot Connector (the turns' own replies too). */
  readonly teamsAttemptMs: number;
  /** How long a Teams call may hold a background-lane slot before giving it back. */
  readonly teamsSlotMs: number;
  /** Teams calls in flight at once per destination chat. */
  readonly callsPerChat: number;
}

export const DEFAULT_DEADLINES: Deadlines = {
  storageAttemptMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
  invokeMs: DEFAULT_INVOKE_BUDGET_MS,
  messageMs: DEFAULT_MESSAGE_BUDGET_MS,
  // /readyz must answer within 2 s.
  readinessMs: 1500,
  teamsCallMs: DEFAULT_TEAMS_CALL_TIMEOUT_MS,
  teamsAttemptMs: 10_000,
  teamsSlotMs: DEFAULT_HOLD_SLOT_AT_MOST_MS,
  callsPerChat: DEFAULT_CALLS_PER_CHAT,
};

export interface AppOverrides {
  readonly log?: PinoLogger;
  readonly clock?: Clock;
  readonly directory?: Directory;
  /** Environment for the Graph credential (defaults to process.env). */
  readonly env?: Record<string, string | undefined>;
  /** Start the periodic sweep (default true). Tests that drive the sweep by hand turn it off. */
  readonly sweepTimer?: boolean;
  /** Passed to every storage client (tests count storage calls with an extra pipeline policy). */
  readonly storageClientOptions?: TableClientExtras;
  readonly deadlines?: Partial<Deadlines>;
}

export interface App {
  readonly server: Server;
  readonly workflow: Workflow;
  readonly background: BackgroundWork;
  /** The slots background I/O runs in (tests watch how many turns it counts). */
  readonly lane: BackgroundLane;
  readonly log: PinoLogger;
  /** Listens on `host` (default: the configured one; always 127.0.0.1 in local mode); resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** One outbox sweep now (also runs at start-up and on the timer). */
  sweep(): Promise<void>;
  /** Stops accepting, finishes in-flight work within `timeoutMs`, closes the server. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const deadlines: Deadlines = { ...DEFAULT_DEADLINES, ...overrides.deadlines };

  const credentialsFactory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.appTenantId,
  });
  // A deadline on every call to Teams (see connectorDeadline.ts).
  const adapter = new CloudAdapter(new DeadlineBotFrameworkAuthentication(credentialsFactory, deadlines.teamsAttemptMs));
  adapter.use(messageBudget(log));

  const storage = {
    connectionString: config.storage.connectionString,
    tablePrefix: config.storage.tablePrefix,
    clientOptions: overrides.storageClientOptions,
    attemptTimeoutMs: deadlines.storageAttemptMs,
    log,
  };
  const [store, leases, teams, chats] = await Promise.all([
    TableRequestStore.open({ ...storage, clock, warnings: { warn: (fields, message) => log.warn(fields, message) } }),
    TableLeases.open({ ...storage, clock }),
    TableTeamRegistry.open(storage),
    TableConversationRefs.open(storage),
  ]);

  const graph = new GraphDirectory({
    baseUrl: config.graph.baseUrl,
    getToken: createGraphTokenProvider(overrides.env ?? process.env),
    logger: log,
    pacer: new Pacer({ maxConcurrent: config.graph.inviteConcurrency, perSecond: config.graph.invitesPerSecond }),
  });
  const directory = overrides.directory ?? graph;
  // One cached reader of group members, for the approver group and for teams.
  const teamGroups = new GraphTeamGroups({ graph, clock });
  const roster = (staticIds: readonly string[], groupId: string): ApproverRoster =>
    groupId ? new GroupApprovers({ staticIds, groupId, groups: teamGroups, log }) : new StaticApprovers(staticIds);
  const ordinaryApprovers = roster(config.approverIds, config.approverGroupId);
  // Member invitations are on only when someone may decide them; member approvers are approvers too.
  const memberApprovers =
    config.memberApproverIds.length > 0 || config.memberApproverGroupId
      ? roster(config.memberApproverIds, config.memberApproverGroupId)
      : undefined;

  const workflow: Workflow = {
    store,
    directory,
    notifier: new TeamsNotifier(adapter, {
      appId: config.bot.appId,
      approverLocale: config.defaultLocale,
      callTimeoutMs: deadlines.teamsCallMs,
      perChat: deadlines.callsPerChat,
      holdSlotAtMostMs: deadlines.teamsSlotMs,
      chats,
      // With TEAMS_APP_ID the bot installs itself for people Teams will not open a chat with.
      installer: config.teamsAppId ? new GraphAppInstaller(graph, config.teamsAppId) : undefined,
      log,
    }),
    approvers: memberApprovers ? new ApproverUnion([ordinaryApprovers, memberApprovers]) : ordinaryApprovers,
    ...(memberApprovers ? { memberApprovers } : {}),
    limits: config.limits,
    approvalChannelId: config.approvalChannelId || undefined,
    leases,
    clock,
    ids: new RandomRequestIds(),
    policy: config.policy,
    inviteRedirectUrl: config.inviteRedirectUrl,
    log,
    instanceId,
    inviteLeaseMs: config.leaseMs,
    teams,
    teamGroups,
    chats,
  };
  const lane = new BackgroundLane(BACKGROUND_SLOTS);
  // Background work outlives the turn that starts it, so it runs outside that turn's deadline.
  const background = new BackgroundWork(log, { run: (work) => detached(() => lane.run(work)) });
  const bot = new GuestAccessBot(
    { wf: workflow, background },
    {
      tenantId: config.tenantId,
      log,
      appId: config.bot.appId,
      invokeBudgetMs: deadlines.invokeMs,
      messageBudgetMs: deadlines.messageMs,
      deadlines: { within: withDeadline, isExceeded: isDeadlineError, expired: () => currentSignal()?.aborted === true },
      openConversation,
    },
  );

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // A reply Teams refused for good (the conversation is gone, the bot removed) is a warning.
    if (replyRefusal(context.activity, error) !== undefined) logUndelivered(log, context.activity, error);
    else log.error({ activityId: context.activity.id, err: errorText(error) }, 'unhandled turn error');
  };

  const server = createHttpServer({
    adapter,
    logic: (context) => bot.run(context),
    log,
    turnStarted: () => lane.turnStarted(),
    ready: async () => {
      await withDeadline(deadlines.readinessMs, 'readiness probe', () => store.ping());
      return true;
    },
  });

  const sweep = () =>
    runSweep(workflow, {
      intervalMs: config.sweepIntervalMs,
      leaseMs: config.leaseMs,
      expiryMs: config.requestExpiryMs,
      reminderMs: config.reminderMs,
      outboxConcurrency: config.graph.inviteConcurrency,
    });

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    server,
    workflow,
    background,
    lane,
    log,
    async listen(port, host = config.host) {
      // Whatever the caller asks, local mode (no inbound authentication) is never reachable from the network.
      if (config.bot.localMode && host !== LOCAL_MODE_HOST)
        throw new Error(`local mode (no MicrosoftAppId) listens on ${LOCAL_MODE_HOST} only, not ${host}`);
      await new Promise<void>((resolve) => {
        server.listen(port, host, resolve);
      });
      const address = server.address();
      // Finish what a previous process left behind, then keep sweeping on a timer.
      background.run('startupSweep', sweep);
      if (overrides.sweepTimer !== false) {
        timer = setInterval(() => background.run('sweep', sweep), config.sweepIntervalMs);
        timer.unref();
      }
      return address.port;
    },
    sweep,
    async stop(timeoutMs = 10_000) {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      const finished = await background.drain(timeoutMs);
      if (!finished) log.warn({ running: background.size }, 'shutdown: background work still running; the next sweep finishes it');
      // Index clean-up of the last writes (best effort: readers compensate for whatever is left).
      await Promise.race([store.settle(), new Promise((r) => setTimeout(r, 1000).unref())]);
      server.server.closeIdleConnections?.();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
    },
  };
}
