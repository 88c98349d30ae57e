/**
 * Starting and stopping the real server, shared by `npm start` (src/index.ts) and the child-process
 * entry the crash tests use (tools/botProcess.ts): configuration from the environment, one
 * clear line per problem and exit 1 before listening; SIGTERM/SIGINT stop accepting, finish what is
 * in flight within SHUTDOWN_TIMEOUT_MS, and exit.
 */
import { createApp, type App, type AppOverrides } from './app';
import { loadConfig } from './config/loadConfig';
import { applyHeapPolicy, missingHeapStartFlags } from './server/heapPolicy';
import { runDoctor } from './startup/selfCheck';

/** Azure App Service and Kubernetes allow ~30 s after SIGTERM; stay well inside it. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

export interface RunningServer {
  readonly app: App;
  readonly port: number;
  /** Stops as on SIGTERM (finish in-flight work within the bound), then exits the process. */
  readonly shutdown: (reason: string) => void;
}

/** `overrides` lets a tool entry add to the composition (the benchmark counts storage calls with it). */
export async function runServer(
  env: Record<string, string | undefined>,
  options: { host?: string; overrides?: AppOverrides } = {},
): Promise<RunningServer> {
  const result = loadConfig(env);
  if (!result.ok) {
    for (const problem of result.problems) process.stderr.write(`config: ${problem}\n`);
    process.exit(1);
  }
  const { config } = result;
  const heapGrowingPercent = applyHeapPolicy();
  const missingStartFlags = missingHeapStartFlags();
  // The Graph credential comes from the same settings as the rest of the configuration.
  const app = await createApp(config, { ...options.overrides, env });
  const host = options.host ?? config.host;
  const port = await app.listen(config.port, host);
  app.log.info(
    {
      host,
      port,
      pid: process.pid,
      localMode: config.bot.localMode,
      tenantCheck: Boolean(config.tenantId),
      graph: config.graph.baseUrl,
      graphCredential: config.graph.credential,
      approvers: config.approverIds.length,
      approverGroup: Boolean(config.approverGroupId),
      heapGrowingPercent: heapGrowingPercent ?? 'from the command line',
      heapStartFlags: missingStartFlags.length === 0 ? 'set' : 'missing',
    },
    config.bot.localMode
      ? `guest access bot listening on ${host} only (local mode: no MicrosoftAppId, no inbound authentication)`
      : 'guest access bot listening',
  );
  // Started as `node dist/index.js` without them, the young generation alone can take 128 MB (src/server/heapPolicy.ts).
  if (missingStartFlags.length > 0)
    app.log.warn(
      { missing: missingStartFlags },
      "node was started without the heap start flags: use `npm start` or add them to node's command line",
    );
  // The checks of `npm run doctor` (Graph token and its User.Invite.All role, bot credentials,
  // approvers), summarised in the start-up log; off the start-up path. Storage needs no second
  // look: createApp has just opened every table.
  runDoctor(env, { timeoutMs: 15_000, storageOpened: true })
    .then((report) => {
      for (const result of report.results) {
        const fields = { check: result.name, status: result.status, detail: result.detail };
        if (result.status === 'fail') app.log.warn(fields, 'self-check');
        else app.log.info(fields, 'self-check');
      }
    })
    .catch(() => undefined);

  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ reason }, 'shutting down: no new turns; finishing what is in flight');
    app
      .stop(SHUTDOWN_TIMEOUT_MS)
      .then(() => {
        app.log.info({}, 'stopped');
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return { app, port, shutdown };
}
