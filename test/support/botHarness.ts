/**
 * Starts the real bot (composition root, CloudAdapter, restify) on loopback against Azurite, the
 * Graph sandbox and a fake Bot Connector, and talks to it the way Teams does: HTTP POSTs of
 * activities to /api/messages.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createApp, type App, type AppOverrides } from '../../src/app';
import { loadConfig } from '../../src/config/loadConfig';
import { startFakeConnector, type ConnectorCall, type FakeConnector } from '../../tools/fakeConnector';
import { startGraphSandbox, type RunningGraphSandbox } from '../../tools/sandbox/graph/server';
import { createLogger } from '../../src/logging';
import { testGraphBaseUrl, testStorageConnectionString } from './env';
import {
  ANNA,
  BEN,
  cardActionActivity,
  messageActivity,
  postActivity,
  RITA,
  TEST_TENANT,
  type HttpAnswer,
  type TeamsPerson,
} from './teamsActivities';

export type { HttpAnswer } from './teamsActivities';

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly overrides?: AppOverrides;
  /** Reuse another harness's tables (a "restart" of the same deployment). */
  readonly tablePrefix?: string;
  readonly connector?: FakeConnector;
}

export class BotHarness {
  private constructor(
    readonly app: App,
    readonly url: string,
    readonly connector: FakeConnector,
    readonly tablePrefix: string,
    readonly logLines: string[],
    private readonly ownsConnector: boolean,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<BotHarness> {
    const tablePrefix = options.tablePrefix ?? `t${randomBytes(6).toString('hex')}`;
    const result = loadConfig({
      APPROVER_IDS: APPROVERS.map((a) => a.aadObjectId).join(','),
      // Tests submit many requests as one person; test/bot/requesterLimits.spec.ts sets the limits.
      MAX_PENDING_PER_REQUESTER: '0',
      MAX_REQUESTS_PER_DAY: '0',
      TENANT_ID: TEST_TENANT,
      STORAGE_CONNECTION_STRING: testStorageConnectionString(),
      STORAGE_TABLE_PREFIX: tablePrefix,
      GRAPH_BASE_URL: testGraphBaseUrl(),
      LOG_LEVEL: 'info',
      ...options.env,
    });
    if (!result.ok) throw new Error(`test config invalid: ${result.problems.join('; ')}`);
    const logLines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const connector = options.connector ?? (await startFakeConnector());
    const app = await createApp(result.config, { log: createLogger('info', sink), sweepTimer: false, env: {}, ...options.overrides });
    const port = await app.listen(0, '127.0.0.1');
    return new BotHarness(app, `http://127.0.0.1:${port}`, connector, tablePrefix, logLines, !options.connector);
  }

  post(body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return postActivity(this.url, body, { headers });
  }

  /** Sends a typed message; resolves with the HTTP answer and the bot's replies to it. */
  async say(person: TeamsPerson, text: string): Promise<{ status: number; replies: ConnectorCall[] }> {
    const activity = messageActivity(person, this.connector.url, text);
    const answer = await this.post(activity);
    const replies = this.connector.calls.filter((c) => c.operation === 'replyToActivity' && c.activityId === activity.id);
    return { status: answer.status, replies };
  }

  /** Clicks an Action.Execute button: resolves with the invoke response. */
  invoke(person: TeamsPerson, verb: string, data: Record<string, unknown>): Promise<HttpAnswer> {
    return this.post(cardActionActivity(person, this.connector.url, verb, data));
  }

  /**
   * Submits the request form as `person`: asserts the invoke was answered 200, reads the new
   * request's id off the answer card, and waits until its approval cards have gone out.
   */
  async submit(person: TeamsPerson, fields: Record<string, unknown>): Promise<{ answer: HttpAnswer; requestId: string }> {
    const answer = await this.invoke(person, 'submitRequest', fields);
    if (answer.status !== 200) throw new Error(`submitRequest answered ${answer.status}`);
    const requestId = requestIdIn(cardOf(answer));
    await this.idle();
    return { answer, requestId };
  }

  /** Waits until every background task (fan-out, Graph, card updates) has finished. */
  idle(): Promise<void> {
    return this.app.background.idle();
  }

  async stop(): Promise<void> {
    await this.app.stop(5000);
    if (this.ownsConnector) await this.connector.stop();
  }
}

/**
 * The one hook every over-HTTP spec uses: registers mocha's before/after for the enclosing suite
 * and returns the bot, which is usable from the first test on (a stand-in that forwards to the
 * harness started in `before`). Options may be computed when the suite starts; `onStart` prepares
 * the started bot (a roster, scripted faults) before the first test.
 */
export function useBotHarness(
  options: HarnessOptions | (() => HarnessOptions | Promise<HarnessOptions>) = {},
  onStart?: (bot: BotHarness) => void | Promise<void>,
): BotHarness {
  let started: BotHarness | undefined;
  before(async function () {
    this.timeout(60_000);
    started = await BotHarness.start(typeof options === 'function' ? await options() : options);
    await onStart?.(started);
  });
  after(async () => {
    await started?.stop();
    started = undefined;
  });
  return suiteValue(() => started, 'the bot harness');
}

/**
 * A bot with a Graph sandbox of its own, for suites that script Graph's answers: both started once
 * for the suite (the bot stopped first), the sandbox's script and record reset before each test.
 */
export function useBotWithOwnGraph(): { bot: BotHarness; graph: RunningGraphSandbox } {
  let graph: RunningGraphSandbox | undefined;
  let bot: BotHarness | undefined;
  before(async () => {
    graph = await startGraphSandbox({ host: '127.0.0.1', port: 0 });
    bot = await BotHarness.start({ env: { GRAPH_BASE_URL: graph.baseUrl } });
  });
  after(async () => {
    await bot?.stop();
    await graph?.stop();
    bot = graph = undefined;
  });
  beforeEach(() => graph?.state.reset());
  return { bot: suiteValue(() => bot, 'the bot harness'), graph: suiteValue(() => graph, 'the Graph sandbox') };
}

/** Stands for what a suite's `before` makes, so it can be named at the top of the suite. */
function suiteValue<T extends object>(current: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = current();
      if (!value) throw new Error(`${what} is used outside its suite (before \`before\` or after \`after\`)`);
      const field: unknown = Reflect.get(value, key, value);
      return typeof field === 'function' ? (field as (...args: unknown[]) => unknown).bind(value) : field;
    },
  });
}

/**
 * A person's 1:1 chats with the bot on the fake connector: the one the bot opens (before they have
 * used the bot) and their own (a stored conversation reference, once they have).
 */
export function chatsWith(connector: FakeConnector, person: TeamsPerson): string[] {
  return [connector.conversationWith(person.aadObjectId), `a:personal-${person.aadObjectId}`];
}

export const REQUESTER: TeamsPerson = RITA;
export const APPROVERS: TeamsPerson[] = [ANNA, BEN];
export const OUTSIDER: TeamsPerson = { aadObjectId: '44444444-4444-4444-8444-444444444444', name: 'Otto Outsider' };

/** The card inside an invoke response or a connector call, for assertions. */
export function cardOf(source: HttpAnswer | ConnectorCall): any {
  if ('status' in source) return source.body?.value;
  const attachments = source.body.attachments as Array<{ content: unknown }> | undefined;
  return attachments?.[0]?.content;
}

/** All text of a card (TextBlocks, facts, input values), for "does it say…" assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value', 'label', 'url']) if (typeof o[key] === 'string') parts.push(o[key]);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return parts.join('\n');
}

/** Every action of a card (Action.Execute, Action.Submit, …), however deeply nested, for "which buttons" assertions. */
export function actionsOf(card: unknown): Array<Record<string, any>> {
  const found: Array<Record<string, any>> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, any>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.')) found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

export function requestIdIn(card: unknown): string {
  const match = /GR-[0-9A-Z]{10}/.exec(cardText(card));
  if (!match) throw new Error('no request id on the card');
  return match[0];
}
