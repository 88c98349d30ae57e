/**
 * What every benchmark scenario stands on: the people (a few approvers, many requesters), the bot's
 * environment, Azurite, a Graph sandbox, the fake Bot Connector, and a cleanup list that stops
 * everything that was started, in reverse order, whatever happened.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startAzurite, type RunningAzurite } from '../azurite';
import { startFakeConnector, type FakeConnector } from '../fakeConnector';
import { TEST_TENANT, type TeamsPerson } from '../teamsActivities';
import { startGraphSandbox, type GraphSandboxOptions, type RunningGraphSandbox } from '../sandbox/graph/server';
import { startChildBot, type ChildBot } from './childBot';
import { ConnectorIndex } from './connectorIndex';
import { BenchHttpClient } from './httpClient';
import type { BenchOptions } from './options';
import { withHeapStartFlags } from '../../src/server/heapPolicy';

export const BENCH_TENANT = TEST_TENANT;

function guid(prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function approver(n: number): TeamsPerson {
  return { aadObjectId: guid('bbbbbbbb', n + 1), name: `Approver ${n + 1}` };
}

export function requester(n: number): TeamsPerson {
  return { aadObjectId: guid('aaaaaaaa', n + 1), name: `Requester ${n + 1}` };
}

/** The requester's personal chat as the activity builders name it (where outcome messages land). */
export function personalChat(person: TeamsPerson): string {
  return `a:personal-${person.aadObjectId}`;
}

export class Cleanup {
  private readonly steps: Array<{ name: string; run: () => Promise<unknown> }> = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  /** Runs (once) every step, last added first; each is bounded so one stuck step cannot hang the rest. */
  async run(log: (line: string) => void = () => undefined): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop() as { name: string; run: () => Promise<unknown> };
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          step.run(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out after 20 s')), 20_000);
          }),
        ]);
      } catch (err) {
        log(`cleanup: ${step.name}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
  }
}

export interface Rig {
  readonly options: BenchOptions;
  readonly outDir: string;
  readonly cleanup: Cleanup;
  readonly azurite: RunningAzurite;
  readonly connector: FakeConnector;
  readonly approvers: readonly TeamsPerson[];
  readonly log: (line: string) => void;
  /** A Graph sandbox stopped with the rig (or earlier through its own stop). */
  graphSandbox(options: GraphSandboxOptions): Promise<RunningGraphSandbox>;
  /** A keep-alive HTTP client for `sockets` requests at once, closed with the rig. */
  httpClient(sockets: number): BenchHttpClient;
  /** The fake connector emptied, and a fresh index over what it records from now on. */
  freshConnectorIndex(): ConnectorIndex;
  /** The bot in its own process with a fresh table prefix unless one is given. */
  startBot(label: string, settings: BotSettings): Promise<ChildBot & { readonly env: Record<string, string> }>;
  /** The echo bot; with `floor`, the floor bot: `floorWrites` durable writes (Azurite, default 1) per invoke (tools/echoBot.ts). */
  startEchoBot(label: string, options?: { floor?: boolean; floorWrites?: number }): Promise<ChildBot>;
  /** Where a profile of the next bot child goes (when --profile). */
  readonly profileDir: string;
}

export interface BotSettings {
  readonly graphBaseUrl: string;
  readonly tablePrefix?: string;
  readonly inviteConcurrency: number;
  readonly invitesPerSecond: number;
}

export async function startRig(options: BenchOptions, outDir: string, cleanup: Cleanup, log: (line: string) => void): Promise<Rig> {
  mkdirSync(outDir, { recursive: true });
  const profileDir = join(outDir, 'profiles');
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  const azurite = await startAzurite();
  cleanup.add('azurite', () => azurite.stop());
  const connector = await startFakeConnector();
  cleanup.add('fake connector', () => connector.stop());
  const approvers = Array.from({ length: options.approvers }, (_, i) => approver(i));
  const runId = randomBytes(3).toString('hex');
  let bots = 0;

  return {
    options,
    outDir,
    cleanup,
    azurite,
    connector,
    approvers,
    log,
    profileDir,
    httpClient(sockets) {
      const http = new BenchHttpClient(sockets);
      cleanup.add('http agent', async () => http.close());
      return http;
    },
    freshConnectorIndex() {
      const index = new ConnectorIndex(connector);
      connector.reset();
      index.reset();
      return index;
    },
    async graphSandbox(sandboxOptions) {
      const sandbox = await startGraphSandbox({ host: '127.0.0.1', port: 0, ...sandboxOptions });
      cleanup.add('graph sandbox', () => sandbox.stop());
      return sandbox;
    },
    async startBot(label, settings) {
      bots++;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        APPROVER_IDS: approvers.map((a) => a.aadObjectId).join(','),
        TENANT_ID: BENCH_TENANT,
        STORAGE_CONNECTION_STRING: azurite.connectionString,
        STORAGE_TABLE_PREFIX: settings.tablePrefix ?? `bench${runId}n${bots}`,
        GRAPH_BASE_URL: settings.graphBaseUrl,
        LOG_LEVEL: options.logLevel,
        INVITE_CONCURRENCY: String(settings.inviteConcurrency),
        INVITES_PER_SECOND: String(settings.invitesPerSecond),
        SWEEP_INTERVAL_SECONDS: String(options.sweepSeconds),
      };
      const bot = await startChildBot({
        label,
        // botProcess.js plus a storage call counter (benchBot.ts).
        entry: join(__dirname, 'benchBot.js'),
        env,
        // The node flags `npm start` gives the server; a --node-arg of the same name replaces one.
        execArgv: withHeapStartFlags([...(options.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), ...options.botNodeArgs]),
        logFile: join(outDir, `${label}.log`),
      });
      cleanup.add(label, () => bot.stop());
      return Object.assign(bot, { env });
    },
    async startEchoBot(label, echoOptions) {
      bots++;
      const floor: Record<string, string> = echoOptions?.floor
        ? {
            FLOOR_STORAGE_CONNECTION_STRING: azurite.connectionString,
            FLOOR_TABLE: `bench${runId}floor${bots}`,
            FLOOR_WRITES: String(echoOptions.floorWrites ?? 1),
          }
        : {};
      const bot = await startChildBot({
        label,
        entry: join(__dirname, '..', 'echoBot.js'),
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...floor },
        logFile: join(outDir, `${label}.log`),
      });
      cleanup.add(label, () => bot.stop());
      return bot;
    },
  };
}

/** A fresh table prefix (letters and digits), for scenarios that seed storage themselves. */
export function freshTablePrefix(): string {
  return `bench${randomBytes(4).toString('hex')}`;
}
