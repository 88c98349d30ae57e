/**
 * A small deployment for reliability tests and `npm run chaos`: one or more real bot processes
 * (child processes, tools/botProcess.ts) sharing one table prefix, an in-process Graph
 * sandbox and a fake Bot Connector, all on loopback. It drives the bot as Teams does (HTTP POSTs of
 * activities) and judges the outcome from storage, the sandbox's log and the connector's log.
 */
import { randomBytes } from 'node:crypto';
import { TableRequestStore } from '../../src/adapters/storage/tableRequestStore';
import type { AuditEntry, GuestRequest } from '../../src/domain/guestRequest';
import { startGraphSandbox, type GraphSandboxOptions, type RunningGraphSandbox } from '../sandbox/graph/server';
import { spawnBot, type BotProcess } from '../botProcess';
import { startFakeConnector, type ConnectorCall, type FakeConnector } from '../fakeConnector';
import { ANNA, BEN, cardActionActivity, postActivity, RITA, TEST_TENANT, type HttpAnswer, type TeamsPerson } from '../teamsActivities';

export type { HttpAnswer } from '../teamsActivities';

export const CLUSTER_REQUESTERS: TeamsPerson[] = [RITA, { aadObjectId: '55555555-5555-4555-8555-555555555555', name: 'Rob Requester' }];
export const CLUSTER_APPROVERS: TeamsPerson[] = [ANNA, BEN];

export interface ClusterOptions {
  readonly storageConnectionString: string;
  readonly instances?: number;
  readonly graph?: GraphSandboxOptions;
  /** Extra environment for every bot process (e.g. SWEEP_INTERVAL_SECONDS). */
  readonly env?: Record<string, string>;
  /** The bots run with the production defaults of SWEEP_INTERVAL_SECONDS and LEASE_SECONDS (not the quick 5 s / 8 s). */
  readonly productionTimings?: boolean;
}

export interface Verdict {
  readonly requestId: string;
  readonly status: GuestRequest['status'] | 'missing';
  /** Distinct directory users created for the guest's address (must be 1 when Invited). */
  readonly invitedUsers: number;
  /** Graph calls that created an invitation for the address (a re-send after a crash is allowed). */
  readonly invitationsCreated: number;
  /** Messages to the requester carrying the redeem link. */
  readonly linkMessages: number;
  /** Audit transitions into Approved by a decision (not counting a retry after Failed). */
  readonly approvals: number;
}

export class Cluster {
  readonly bots: Array<BotProcess | undefined>;
  /** Output of every bot process started, dead or alive, for diagnostics. */
  readonly outputs: string[][] = [];

  private constructor(
    readonly options: ClusterOptions,
    readonly tablePrefix: string,
    readonly graph: RunningGraphSandbox,
    readonly connector: FakeConnector,
    readonly store: TableRequestStore,
    instances: number,
  ) {
    this.bots = new Array<BotProcess | undefined>(instances).fill(undefined);
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const tablePrefix = `r${randomBytes(6).toString('hex')}`;
    const graph = await startGraphSandbox({ host: '127.0.0.1', port: 0, ...options.graph });
    const connector = await startFakeConnector();
    const store = await TableRequestStore.open({ connectionString: options.storageConnectionString, tablePrefix });
    const cluster = new Cluster(options, tablePrefix, graph, connector, store, options.instances ?? 1);
    try {
      await Promise.all(cluster.bots.map((_, i) => cluster.startBot(i)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  env(): Record<string, string> {
    return {
      APPROVER_IDS: CLUSTER_APPROVERS.map((a) => a.aadObjectId).join(','),
      // One requester submits many requests here: the per-person limits would get in the way.
      MAX_PENDING_PER_REQUESTER: '0',
      MAX_REQUESTS_PER_DAY: '0',
      TENANT_ID: TEST_TENANT,
      STORAGE_CONNECTION_STRING: this.options.storageConnectionString,
      STORAGE_TABLE_PREFIX: this.tablePrefix,
      GRAPH_BASE_URL: this.graph.baseUrl,
      ...(this.options.productionTimings ? {} : { SWEEP_INTERVAL_SECONDS: '5', LEASE_SECONDS: '8' }),
      LOG_LEVEL: 'warn',
      ...this.options.env,
    };
  }

  async startBot(index: number): Promise<BotProcess> {
    if (this.bots[index]) throw new Error(`bot ${index} is running`);
    const bot = await spawnBot(this.env());
    this.bots[index] = bot;
    this.outputs.push(bot.output);
    return bot;
  }

  bot(index: number): BotProcess {
    const bot = this.bots[index];
    if (!bot) throw new Error(`bot ${index} is not running`);
    return bot;
  }

  /** SIGSTOP / SIGCONT, by PID: the process freezes mid-whatever (its timers, renewals and sockets too). */
  freeze(index: number, frozen: boolean): void {
    process.kill(this.bot(index).pid, frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Link messages the requester received for a request (0 until it is invited). */
  async linkCount(requestId: string): Promise<number> {
    const request = await this.request(requestId);
    return request ? this.linkMessagesFor(request).length : 0;
  }

  /** SIGKILL, by PID: the process dies mid-whatever. */
  async kill(index: number): Promise<void> {
    const bot = this.bots[index];
    this.bots[index] = undefined;
    await bot?.kill();
  }

  post(index: number, activity: unknown, timeoutMs = 20_000): Promise<HttpAnswer> {
    return postActivity(this.bot(index).url, activity, { timeoutMs });
  }

  invoke(index: number, person: TeamsPerson, verb: string, data: Record<string, unknown>): Promise<HttpAnswer> {
    return this.post(index, cardActionActivity(person, this.connector.url, verb, data));
  }

  /** Submits a request through bot `index`; resolves with the request id. */
  async submit(index: number, requester: TeamsPerson, email: string): Promise<string> {
    const answer = await this.invoke(index, requester, 'submitRequest', { email, justification: 'Reliability test' });
    const match = /GR-[0-9A-Z]{10}/.exec(JSON.stringify(answer.body));
    if (answer.status !== 200 || !match) throw new Error(`submit failed: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return match[0];
  }

  approve(index: number, approver: TeamsPerson, requestId: string): Promise<HttpAnswer> {
    return this.invoke(index, approver, 'approve', { requestId });
  }

  async request(requestId: string): Promise<GuestRequest | undefined> {
    return (await this.store.get(requestId))?.value;
  }

  /** Waits until every approver holds an approval card for the request (the fan-out is done). */
  async approvalCardsSent(requestId: string, timeoutMs = 15_000): Promise<void> {
    await waitUntil(
      async () => (await this.store.listApprovalMessages(requestId)).length >= CLUSTER_APPROVERS.length,
      timeoutMs,
      `approval cards for ${requestId}`,
    );
  }

  /** Polls until `done` holds for every request, or the time is up; returns the last statuses. */
  async settle(requestIds: readonly string[], done: (r: GuestRequest | undefined) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = await Promise.all(requestIds.map((id) => this.request(id)));
      if (all.every(done)) return true;
      if (Date.now() > deadline) return false;
      await sleep(500);
    }
  }

  linkMessagesFor(request: GuestRequest): ConnectorCall[] {
    const url = request.invitation?.redeemUrl;
    if (!url) return [];
    return this.connector
      .messagesIn(request.requesterAddress.conversationId)
      .filter((c) => JSON.stringify(c.body).includes(JSON.stringify(url).slice(1, -1)));
  }

  async verdict(requestId: string, email: string): Promise<Verdict> {
    const request = await this.request(requestId);
    const created = this.graph.state
      .invitations()
      .filter(
        (call) =>
          call.outcome === 'created' &&
          typeof call.body === 'object' &&
          call.body !== null &&
          String((call.body as Record<string, unknown>).invitedUserEmailAddress).toLowerCase() === email.toLowerCase(),
      );
    const audit: AuditEntry[] = await this.store.listAudit(requestId);
    return {
      requestId,
      status: request?.status ?? 'missing',
      invitedUsers: new Set(created.map((c) => c.invitedUserId)).size,
      invitationsCreated: created.length,
      linkMessages: request ? this.linkMessagesFor(request).length : 0,
      approvals: audit.filter((e) => e.action === 'status:Approved' && e.from === 'Pending').length,
    };
  }

  async stop(): Promise<void> {
    for (let i = 0; i < this.bots.length; i++) await this.kill(i).catch(() => undefined);
    await this.connector.stop().catch(() => undefined);
    await this.graph.stop().catch(() => undefined);
  }
}

export function uniqueEmail(tag = 'guest'): string {
  return `${tag}-${randomBytes(5).toString('hex')}@fabrikam.com`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 100 ms until it is truthy; bounded by timeoutMs. */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
