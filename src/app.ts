/**
 * The composition root: builds the real objects from Config and wires them together. Tests build
 * the same graph through this function, replacing only what sits at the edges (via `overrides`).
 */
import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type TurnContext } from 'botbuilder';
import type { Logger as PinoLogger } from 'pino';
import type { Server } from 'restify';
import { GraphDirectory } from './adapters/graph/graphDirectory';
import { createGraphTokenProvider } from './adapters/graph/credential';
import { GroupApprovers } from './adapters/graph/groupApprovers';
import { Pacer } from './adapters/graph/pacer';
import { GraphTeamGroups } from './adapters/graph/teamGroups';
import type { TableClientExtras } from './adapters/storage/tableClients';
import { TableLeases } from './adapters/storage/tableLeases';
import { TableRequestStore } from './adapters/storage/tableRequestStore';
import { TableTeamRegistry } from './adapters/storage/tableTeamRegistry';
import { RandomRequestIds } from './adapters/system/requestIds';
import { systemClock } from './adapters/system/systemClock';
import { BackgroundLane } from './adapters/system/backgroundLane';
import { TeamsNotifier } from './adapters/teams/teamsNotifier';
import { BackgroundWork } from './bot/backgroundWork';
import { GuestAccessBot } from './bot/guestAccessBot';
import type { Config } from './config/config';
import { StaticApprovers } from './domain/lifecycle/authorization';
import type { Clock, Directory } from './domain/ports';
import { sweep as runSweep } from './domain/usecases/sweep';
import type { Workflow } from './domain/usecases/workflow';
import { createLogger } from './logging';
import { createHttpServer } from './server/httpServer';

/**
 * Storage and Teams calls that background work may have in flight at once (see backgroundLane.ts).
 * Measured with `npm run bench`: 4 and 8 gave the same latencies; 8 leaves room for a slow or
 * throttled Teams, whose retries run inside a slot.
 */
const BACKGROUND_SLOTS = 8;

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
}

export interface App {
  readonly server: Server;
  readonly workflow: Workflow;
  readonly background: BackgroundWork;
  readonly log: PinoLogger;
  /** Listens on 127.0.0.1 or all interfaces; resolves with the bound port. */
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

  const credentialsFactory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.appTenantId,
  });
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, credentialsFactory));

  const storage = { connectionString: config.storage.connectionString, tablePrefix: config.storage.tablePrefix, clientOptions: overrides.storageClientOptions };
  const [store, leases, teams] = await Promise.all([
    TableRequestStore.open({ ...storage, clock, warnings: { warn: (fields, message) => log.warn(fields, message) } }),
    TableLeases.open({ ...storage, clock }),
    TableTeamRegistry.open(storage),
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

  const workflow: Workflow = {
    store,
    directory,
    notifier: new TeamsNotifier(adapter, { appId: config.bot.appId, approverLocale: config.defaultLocale }),
    approvers: config.approverGroupId
      ? new GroupApprovers({ staticIds: config.approverIds, groupId: config.approverGroupId, groups: teamGroups, log })
      : new StaticApprovers(config.approverIds),
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
  };
  const lane = new BackgroundLane(BACKGROUND_SLOTS);
  const background = new BackgroundWork(log, lane);
  const bot = new GuestAccessBot({ wf: workflow, background }, { tenantId: config.tenantId, log, appId: config.bot.appId });

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ activityId: context.activity.id, err: `${error.name}: ${error.message}` }, 'unhandled turn error');
  };

  const server = createHttpServer({
    adapter,
    logic: (context) => bot.run(context),
    log,
    turnStarted: () => lane.turnStarted(),
    ready: async () => {
      await store.ping();
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
    log,
    async listen(port, host = '0.0.0.0') {
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
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
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const finished = await background.drain(timeoutMs);
      if (!finished) log.warn({ running: background.size }, 'shutdown: background work still running; the next sweep finishes it');
      // Index clean-up of the last writes (best effort: readers compensate for whatever is left).
      await Promise.race([store.settle(), new Promise((r) => setTimeout(r, 1000).unref())]);
      server.server.closeIdleConnections?.();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
    },
  };
}
