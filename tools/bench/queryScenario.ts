/**
 * `--requests N`: N stored requests (written through the store API in parallel batches: spread over
 * many requesters, half of them Pending), then the two listing commands over HTTP — approvers type
 * "pending", requesters type "my requests" — at `concurrency`. Both must be served from the index
 * (one partition, one page), never a full scan; a full scan of the requests table is timed for
 * comparison.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TableRequestStore } from '../../src/adapters/storage/tableRequestStore';
import { openTableClient } from '../../src/adapters/storage/tableClients';
import { requestStoreTableNames } from '../../src/adapters/storage/tableRequestStore';
import type { GuestRequest, RequestStatus } from '../../src/domain/guestRequest';
import type { ConnectorCall } from '../fakeConnector';
import { CpuMeter, type CpuShare } from './cpuUsage';
import { BotDriver, runPool, type PoolResult } from './driver';
import { formatTable, formatTargets, reported, atMost, SUMMARY_HEADER, summaryRow, type Target } from './report';
import { BENCH_TENANT, freshTablePrefix, personalChat, requester, type Rig } from './rig';
import type { Summary } from './stats';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const STATUS_CYCLE: RequestStatus[] = ['Pending', 'Pending', 'Invited', 'Denied'];
export const REQUESTS_PER_REQUESTER = 100;

function seededId(n: number): string {
  let id = '';
  for (let i = 0, v = n; i < 10; i++, v = Math.floor(v / 32)) id = CROCKFORD[v % 32] + id;
  return `GR-${id}`;
}

export function seededRequest(n: number, total: number, serviceUrl: string, approverId: string, baseMs: number): GuestRequest {
  const person = requester(n % Math.max(1, Math.ceil(total / REQUESTS_PER_REQUESTER)));
  const status = STATUS_CYCLE[n % STATUS_CYCLE.length] as RequestStatus;
  const createdAt = new Date(baseMs + n * 1000).toISOString();
  const decidedAt = new Date(baseMs + n * 1000 + 500).toISOString();
  const base: GuestRequest = {
    id: seededId(n),
    status,
    guest: { email: `seed${n}@fabrikam.com`, displayName: `Seeded guest ${n}`, message: 'Welcome aboard!', sendInvitationMessage: false },
    justification: 'Benchmark: seeded request',
    requester: { id: person.aadObjectId, name: person.name },
    requesterAddress: {
      serviceUrl,
      channelId: 'msteams',
      conversationId: personalChat(person),
      tenantId: BENCH_TENANT,
      botId: '28:bot-guest-access',
      botName: 'Guest Access',
      userId: `29:${person.aadObjectId}`,
    },
    createdAt,
    updatedAt: status === 'Pending' ? createdAt : decidedAt,
  };
  if (status === 'Invited') {
    return {
      ...base,
      decision: { by: { id: approverId, name: 'Approver 1' }, at: decidedAt, outcome: 'Approved' },
      invitation: {
        invitedUserId: randomUUID(),
        status: 'PendingAcceptance',
        redeemUrl: 'https://login.microsoftonline.com/redeem?rd=seeded',
        at: decidedAt,
      },
      requesterNotifiedAt: decidedAt,
    };
  }
  if (status === 'Denied') {
    return {
      ...base,
      decision: { by: { id: approverId, name: 'Approver 1' }, at: decidedAt, outcome: 'Denied', reason: 'Seeded denial' },
      requesterNotifiedAt: decidedAt,
    };
  }
  return base;
}

export interface QueryScenarioReport {
  readonly scenario: 'requests';
  readonly settings: Record<string, unknown>;
  readonly seed: { readonly stored: number; readonly failed: number; readonly ms: number; readonly perSecond: number };
  readonly fullScanMs: number;
  readonly fullScanRows: number;
  readonly latency: Record<string, Summary>;
  readonly serialLatency: Record<string, Summary>;
  readonly heavySubmit?: Summary;
  readonly cpu: Record<string, CpuShare>;
  readonly queries: PoolResult;
  readonly repliesChecked: number;
  readonly badReplies: string[];
  readonly startupMs: number;
  readonly peakRssMb: number;
  readonly targets: Target[];
}

export async function runQueryScenario(rig: Rig, deadline: number): Promise<QueryScenarioReport> {
  const { options, connector, log } = rig;
  const total = options.requests;
  const tablePrefix = freshTablePrefix();
  const requesters = Math.max(1, Math.ceil(total / REQUESTS_PER_REQUESTER));
  const storage = { connectionString: rig.azurite.connectionString, tablePrefix };

  // Seed through the store API, in parallel.
  const store = await TableRequestStore.open(storage);
  const baseMs = Date.now() - total * 1000 - 60_000;
  const approverId = rig.approvers[0]!.aadObjectId;
  log(`requests: storing ${total} requests (${requesters} requesters, half Pending) through the store API`);
  const seed = await runPool(
    total,
    64,
    async (i) => {
      await store.create(seededRequest(i, total, connector.url, approverId, baseMs));
      if ((i + 1) % 2000 === 0) log(`requests: ${i + 1} stored`);
    },
    deadline,
  );
  if (seed.failed > 0) log(`requests: ${seed.failed} seeds failed, e.g. ${seed.errors[0]}`);
  log(`requests: stored ${seed.completed} in ${Math.round(seed.wallMs)} ms (${Math.round(seed.completed / (seed.wallMs / 1000))}/s)`);

  // For comparison: what one full scan of the requests table costs here.
  const requestsTable = openTableClient(storage, requestStoreTableNames(tablePrefix).requests);
  const scanStart = performance.now();
  let fullScanRows = 0;
  for await (const page of requestsTable.listEntities().byPage({ maxPageSize: 1000 })) fullScanRows += page.length;
  const fullScanMs = performance.now() - scanStart;
  log(`requests: a full scan of the requests table takes ${Math.round(fullScanMs)} ms (${fullScanRows} rows)`);

  const graph = await rig.graphSandbox({ latencyMs: options.graphLatencyMs });
  connector.reset();
  const bot = await rig.startBot('bot-requests', { graphBaseUrl: graph.baseUrl, tablePrefix, inviteConcurrency: 4, invitesPerSecond: 5 });
  log(`requests: bot healthy after ${Math.round(bot.startupMs)} ms with ${seed.completed} stored requests`);
  const http = rig.httpClient(options.concurrency * 2);
  const driver = new BotDriver(bot.url, connector.url, http);

  // Alternate the two commands so both see the same load: first one at a time (the floor), then
  // at the scenario's concurrency.
  const expected = new Map<string, 'pending' | 'my requests'>();
  const runQueries = (d: BotDriver, count: number, width: number) =>
    runPool(
      count * 2,
      width,
      async (i) => {
        const kind = i % 2 === 0 ? 'pending' : 'my requests';
        const person = kind === 'pending' ? rig.approvers[(i / 2) % rig.approvers.length]! : requester(Math.floor(i / 2) % requesters);
        const answer = await d.say(kind, person, kind);
        expected.set(answer.activityId, kind);
      },
      deadline,
    );
  const serial = new BotDriver(bot.url, connector.url, http);
  await runQueries(serial, Math.min(50, options.queries), 1);
  const meter = new CpuMeter({ bot: bot.pid, azurite: rig.azurite.pid });
  const queries = await runQueries(driver, options.queries, options.concurrency);
  const cpu = meter.read();

  // A submit by a requester who already has REQUESTS_PER_REQUESTER stored requests: the per-requester
  // limits (MAX_PENDING_PER_REQUESTER, MAX_REQUESTS_PER_DAY) read that requester's index first. With
  // half of them Pending the submit is refused as over the limit; its cost is what is measured.
  const heavy = new BotDriver(bot.url, connector.url, http);
  await runPool(
    20,
    1,
    async (i) => {
      await heavy.invoke('submitRequest (heavy requester)', requester(i % requesters), 'submitRequest', {
        email: `heavy${i}@fabrikam.com`,
        displayName: 'Heavy',
        justification: 'Benchmark: requester with many requests',
        sendInvitationMessage: 'false',
      });
    },
    deadline,
  );
  const heavySubmit = heavy.latency.summaries()['submitRequest (heavy requester)'];

  // Every reply must be a full page: 10 approval cards (and the "Show more" card) for "pending", a list card for "my requests".
  const replies = new Map<string, ConnectorCall>();
  for (const call of connector.calls) if (call.operation === 'replyToActivity' && call.activityId) replies.set(call.activityId, call);
  const badReplies: string[] = [];
  for (const [activityId, kind] of expected) {
    const reply = replies.get(activityId);
    const attachments = (reply?.body.attachments as unknown[] | undefined)?.length ?? 0;
    const text = JSON.stringify(reply?.body ?? {});
    const ok =
      kind === 'pending'
        ? attachments === 11 && text.includes('"verb":"approve"') && text.includes('"verb":"morePending"')
        : attachments === 1 && /GR-[0-9A-Z]{10}/.test(text);
    if (!ok && badReplies.length < 10)
      badReplies.push(`${kind}: ${reply ? `${attachments} attachments: ${text.slice(0, 200)}` : 'no reply'}`);
  }
  const memory = bot.memory();
  await bot.stop();

  const latency = driver.latency.summaries();
  const serialLatency = serial.latency.summaries();
  const targets: Target[] = [
    atMost('requests stored', total - seed.completed, 0, 'missing'),
    atMost('listing replies that were not a full page', badReplies.length, 0, ''),
    reported(
      `"pending" p99 with ${seed.completed} requests, c=${options.concurrency}`,
      latency.pending?.p99,
      'ms',
      `p50 ${Math.round(latency.pending?.p50 ?? NaN)} ms`,
    ),
    reported(
      `"my requests" p99 with ${seed.completed} requests, c=${options.concurrency}`,
      latency['my requests']?.p99,
      'ms',
      `p50 ${Math.round(latency['my requests']?.p50 ?? NaN)} ms`,
    ),
    reported(
      `"pending" p99 with ${seed.completed} requests, one at a time`,
      serialLatency.pending?.p99,
      'ms',
      `p50 ${Math.round(serialLatency.pending?.p50 ?? NaN)} ms`,
    ),
    reported(
      `"my requests" p99 with ${seed.completed} requests, one at a time`,
      serialLatency['my requests']?.p99,
      'ms',
      `p50 ${Math.round(serialLatency['my requests']?.p50 ?? NaN)} ms`,
    ),
    reported('full scan of the requests table (reference)', fullScanMs, 'ms'),
    reported(
      `submitRequest p50 by a requester with ${Math.min(REQUESTS_PER_REQUESTER, total)} stored requests`,
      heavySubmit?.p50,
      'ms',
      'per-requester limit check reads their index',
    ),
  ];
  log(
    `\n== requests: listing commands over HTTP (${seed.completed} stored) ==\n${formatTable(SUMMARY_HEADER, [
      summaryRow('pending, one at a time', serialLatency.pending),
      summaryRow('my requests, one at a time', serialLatency['my requests']),
      summaryRow(`pending, concurrency ${options.concurrency}`, latency.pending),
      summaryRow(`my requests, concurrency ${options.concurrency}`, latency['my requests']),
      summaryRow(`submitRequest by a requester with ${Math.min(REQUESTS_PER_REQUESTER, total)} requests, one at a time`, heavySubmit),
    ])}`,
  );
  log(
    `CPU cores during the concurrent phase: ${Object.entries(cpu)
      .map(([name, share]) => `${name} ${share.cores.toFixed(2)}`)
      .join(', ')}`,
  );
  for (const problem of badReplies) log(`bad reply: ${problem}`);
  for (const error of queries.errors) log(`error: ${error}`);
  log(`\n${formatTargets(targets)}`);

  return {
    scenario: 'requests',
    settings: {
      requests: total,
      requesters,
      requestsPerRequester: REQUESTS_PER_REQUESTER,
      pending: total / 2,
      queriesPerCommand: options.queries,
      concurrency: options.concurrency,
      approvers: rig.approvers.length,
    },
    seed: { stored: seed.completed, failed: seed.failed, ms: seed.wallMs, perSecond: seed.completed / (seed.wallMs / 1000) },
    fullScanMs,
    fullScanRows,
    latency,
    serialLatency,
    heavySubmit,
    cpu,
    queries,
    repliesChecked: expected.size,
    badReplies,
    startupMs: bot.startupMs,
    peakRssMb: memory.peakRssMb,
    targets,
  };
}
