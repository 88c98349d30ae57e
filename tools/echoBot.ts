/**
 * A bare botbuilder echo bot (CloudAdapter + restify, the SDK sample's shape) for the benchmark's
 * baseline: messages are echoed back through the Bot Connector named by the activity's serviceUrl
 * (the benchmark's fake connector), Adaptive Card invokes get a small card at once. No storage, no
 * Graph, no cards from templates: whatever our bot costs above this is ours.
 *
 * The floor bot is the same bot with one durable write per invoke (`durableWrite`): each invoke
 * waits for one entity written to Azure Tables, through our own table client, before it answers.
 * That is the floor issue 17 names for a decision, so our invokes against it say how far above the
 * floor we are, and the floor bot against the echo bot what that write alone costs on this machine
 * (README, Performance). With `writes` > 1 (the bench's --floor-writes) each invoke makes that many
 * writes one after another, each waiting for the one before: the shape of our submit (the limits
 * row, then the request) and of an approve that waits for its fan-out's card save.
 *
 * Used in-process through startEchoBot, or as a child process (`node echoBot.js`, PORT from the
 * environment, port reported over IPC; FLOOR_STORAGE_CONNECTION_STRING and FLOOR_TABLE make it
 * the floor bot, FLOOR_WRITES its writes per invoke), which is how the benchmark measures it.
 */
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import * as restify from 'restify';
import { ensureTable, openTableClient } from '../src/adapters/storage/tableClients';

export interface RunningEchoBot {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

export interface EchoBotOptions {
  port?: number;
  host?: string;
  /** The floor bot: each invoke writes `writes` entities (default 1), one after another, to this table before it answers. */
  durableWrite?: { connectionString: string; table: string; writes?: number };
}

/** The invoke's durable writes: entities upserted into the floor's table, one round trip each, in turn. */
type DurableWrite = (verb: string) => Promise<void>;

async function openDurableWrite(options: NonNullable<EchoBotOptions['durableWrite']>): Promise<DurableWrite> {
  // Our own client (tableClients.ts): the SDK pipeline and the per-attempt deadline our bot pays.
  const client = openTableClient({ connectionString: options.connectionString }, options.table);
  await ensureTable(client);
  const writes = options.writes ?? 1;
  return async (verb) => {
    for (let write = 1; write <= writes; write++) {
      await client.upsertEntity({ partitionKey: 'floor', rowKey: randomUUID(), verb, write, at: new Date().toISOString() }, 'Replace');
    }
  };
}

class EchoBot extends ActivityHandler {
  constructor(private readonly durableWrite?: DurableWrite) {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${String(context.activity.text ?? '')}`);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const verb = (context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
    await this.durableWrite?.(String(verb));
    return {
      status: 200,
      body: {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `echo: ${String(verb)}`, wrap: true }] },
      },
    };
  }
}

export async function startEchoBot(options: EchoBotOptions = {}): Promise<RunningEchoBot> {
  // Local mode, like our bot in the benchmark: no app id, so no tokens either way.
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppType: 'MultiTenant',
  });
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, credentials));
  adapter.onTurnError = async (_context, error) => {
    process.stderr.write(`echo bot: turn error: ${error.message}\n`);
  };
  const bot = new EchoBot(options.durableWrite ? await openDurableWrite(options.durableWrite) : undefined);
  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const port = server.address().port;
  return {
    port,
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  const connectionString = process.env.FLOOR_STORAGE_CONNECTION_STRING;
  const writes = Number(process.env.FLOOR_WRITES ?? '1');
  startEchoBot({
    port: Number(process.env.PORT ?? '0'),
    ...(connectionString
      ? {
          durableWrite: {
            connectionString,
            table: process.env.FLOOR_TABLE ?? 'benchfloor',
            writes: Number.isInteger(writes) && writes > 0 ? writes : 1,
          },
        }
      : {}),
  })
    .then((bot) => {
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        setTimeout(() => process.exit(0), 3000).unref();
        void bot.stop().finally(() => process.exit(0));
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      process.on('message', (message: unknown) => {
        if ((message as { type?: unknown } | null)?.type === 'memory') process.send?.({ type: 'memory', usage: process.memoryUsage() });
      });
      process.on('disconnect', stop);
    })
    .catch((err: unknown) => {
      process.stderr.write(`echo bot: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
