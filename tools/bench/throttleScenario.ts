/**
 * `--throttle N`: Graph accepts N invitations per second and answers 429 with Retry-After beyond
 * that. First `approvals` requests are submitted (and their approval cards delivered); then all of
 * them are approved as fast as `concurrency` approvers can click. Measured: the drain (first approve
 * → last invitation created) against the ideal approvals / N, calls made before their Retry-After
 * had passed, and duplicate invitations, all as the sandbox saw them.
 */
import { performance } from 'node:perf_hooks';
import { monotonicEpochMs } from '../sandbox/graph/state';
import { reportProfile, type ProfileSummary } from './cpuProfile';
import { CpuMeter, type CpuShare } from './cpuUsage';
import { BotDriver, requestIdOf, runPool, sleep, type PoolResult } from './driver';
import { waitQuiet } from './flowScenario';
import { atMost, formatTable, formatTargets, reported, SUMMARY_HEADER, summaryRow, type Target } from './report';
import { personalChat, requester, type Rig } from './rig';
import { summarize, type Summary } from './stats';

export interface ThrottleScenarioReport {
  readonly scenario: 'throttle';
  readonly settings: Record<string, unknown>;
  readonly submit: PoolResult;
  readonly approve: PoolResult;
  readonly latency: Record<string, Summary>;
  readonly drainMs: number | null;
  readonly idealMs: number;
  readonly drainRatio: number | null;
  readonly lastAnswerMs: number | null;
  readonly linksDelivered: number;
  readonly timeToLink: Summary;
  readonly graph: Record<string, unknown>;
  readonly peakRssMb: number;
  readonly startupMs: number;
  readonly cpu: Record<string, CpuShare>;
  readonly targets: Target[];
  readonly profile?: ProfileSummary;
}

function addressOf(body: unknown): string {
  return String((body as { invitedUserEmailAddress?: unknown } | null)?.invitedUserEmailAddress ?? '').toLowerCase();
}

export async function runThrottleScenario(rig: Rig, deadline: number): Promise<ThrottleScenarioReport> {
  const { options, connector, log } = rig;
  const rate = options.throttlePerSecond;
  const n = options.approvals;
  const concurrency = options.concurrency;
  const idealMs = (n / rate) * 1000;
  // Pacing at exactly the sandbox's rate avoids 429s; enough concurrency that rate × latency calls
  // can be in flight (otherwise the pacer, not Graph, sets the pace), plus headroom for jitter.
  const invitesPerSecond = options.invitesPerSecond ?? Math.min(100, rate);
  const inviteConcurrency =
    options.inviteConcurrency ?? Math.min(50, Math.max(4, Math.ceil((rate * (options.graphLatencyMs + 500)) / 1000)));

  const graph = await rig.graphSandbox({ latencyMs: options.graphLatencyMs, throttlePerSecond: rate });
  const http = rig.httpClient(concurrency * 2);
  const index = rig.freshConnectorIndex();

  log(
    `throttle: Graph accepts ${rate}/s (latency ${options.graphLatencyMs} ms); bot INVITES_PER_SECOND=${invitesPerSecond}, INVITE_CONCURRENCY=${inviteConcurrency}`,
  );
  const profileSince = Date.now();
  const bot = await rig.startBot('bot-throttle', { graphBaseUrl: graph.baseUrl, inviteConcurrency, invitesPerSecond });
  const driver = new BotDriver(bot.url, connector.url, http);
  const tag = Date.now().toString(36);
  const ids: string[] = new Array<string>(n);

  // Phase 1: n requests, each with its approval card delivered.
  const submit = await runPool(
    n,
    concurrency,
    async (i) => {
      const person = requester(i);
      const answer = await driver.invoke('submitRequest', person, 'submitRequest', {
        email: `throttle${tag}g${i}@fabrikam.com`,
        displayName: `Guest ${i}`,
        justification: 'Benchmark: throttled approvals',
        sendInvitationMessage: 'false',
      });
      ids[i] = requestIdOf(answer);
      const approver = rig.approvers[i % rig.approvers.length]!;
      await index.wait('approvalCard', index.approverChat(approver.aadObjectId), ids[i], 60_000);
    },
    deadline,
  );
  log(`throttle: ${submit.completed} requests submitted and routed in ${Math.round(submit.wallMs)} ms; approving all`);
  await waitQuiet(connector.calls, 300, 10_000);

  // Phase 2: approve them all, as fast as the approvers click.
  const meter = new CpuMeter({ bot: bot.pid, azurite: rig.azurite.pid });
  const firstApprove = monotonicEpochMs();
  const firstApproveEpoch = Date.now();
  const approveSentAt: number[] = new Array<number>(n).fill(NaN);
  const approve = await runPool(
    n,
    concurrency,
    async (i) => {
      const id = ids[i];
      if (!id) throw new Error('not submitted');
      const approver = rig.approvers[i % rig.approvers.length]!;
      const answer = await driver.invoke('approve', approver, 'approve', { requestId: id });
      approveSentAt[i] = answer.sentAt;
      if (!JSON.stringify(answer.body).includes('Approved by'))
        throw new Error(`approve not confirmed: ${JSON.stringify(answer.body).slice(0, 200)}`);
    },
    deadline,
  );
  log(`throttle: ${approve.completed} approvals answered in ${Math.round(approve.wallMs)} ms; waiting for the invitations to drain`);

  // Wait for every approved request's invitation (and its link), bounded.
  const drainLimit = Math.min(deadline, performance.now() + Math.max(idealMs * 4, 120_000) + options.sweepSeconds * 1000);
  let lastReport = performance.now();
  const guestsInvited = () =>
    new Set(
      graph.state
        .invitations()
        .filter((c) => c.outcome === 'created')
        .map((c) => addressOf(c.body)),
    ).size;
  while (performance.now() < drainLimit) {
    const created = guestsInvited();
    if (created >= approve.completed) break;
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`throttle: ${created}/${approve.completed} invitations created after ${Math.round((Date.now() - firstApproveEpoch) / 1000)} s`);
    }
    await sleep(100);
  }
  const linkDeadline = Math.min(drainLimit + 30_000, deadline);
  const links = (
    await Promise.all(
      ids.map(async (id, i) => {
        if (!id || Number.isNaN(approveSentAt[i])) return undefined;
        const chat = personalChat(requester(i));
        const remaining = linkDeadline - performance.now();
        const link =
          remaining > 0 ? await index.wait('redeemLink', chat, id, remaining).catch(() => undefined) : index.find('redeemLink', chat, id);
        return link ? link.at - (approveSentAt[i] as number) : undefined;
      }),
    )
  ).filter((ms): ms is number => ms !== undefined);
  await waitQuiet(connector.calls, 500, 10_000);
  // Let calls still at the sandbox be answered, so that a late duplicate is counted too.
  for (let i = 0; i < 100 && graph.state.invitations().some((call) => call.outcome === null); i++) await sleep(100);

  const stats = graph.state.stats();
  const createdAddresses = new Set(
    graph.state
      .invitations()
      .filter((c) => c.outcome === 'created')
      .map((c) => addressOf(c.body)),
  );
  const otherCalls = graph.state
    .invitations()
    .filter((c) => c.outcome !== 'created')
    .slice(0, 20)
    .map((c) => ({
      seq: c.seq,
      address: addressOf(c.body),
      outcome: c.outcome,
      status: c.status,
      arrivedAfterFirstApproveMs: c.arrivedAtMs - firstApprove,
      addressAlsoCreated: createdAddresses.has(addressOf(c.body)),
    }));
  const created = graph.state.invitations().filter((call) => call.outcome === 'created');
  const lastCreated = created.reduce((max, call) => Math.max(max, call.arrivedAtMs), -Infinity);
  const lastAnswered = created.reduce((max, call) => Math.max(max, call.answeredAtMs ?? -Infinity), -Infinity);
  const uniqueCreated = new Set(created.map((call) => addressOf(call.body))).size;
  const complete = uniqueCreated >= approve.completed && approve.completed === n;
  const drainMs = Number.isFinite(lastCreated) ? lastCreated - firstApprove : null;
  const cpu = meter.read();
  const memory = bot.memory();
  await bot.stop();

  const profile = options.profile ? reportProfile(rig.profileDir, profileSince, log, 'throttle') : undefined;

  const graphSummary = {
    invitationCalls: stats.calls,
    byStatus: stats.byStatus,
    invitationsCreated: stats.invitationsCreated,
    earlyRetries: stats.earlyRetries,
    duplicates: stats.duplicates,
    duplicateAddresses: stats.duplicateAddresses.slice(0, 10),
    callsNotCreated: otherCalls,
  };
  const targets: Target[] = [
    atMost('approvals whose invitation was not created', n - Math.min(n, uniqueCreated), 0, '', `${uniqueCreated} guests invited`),
    atMost(
      `drain (first approve → last invitation created) vs ideal ${n}/${rate}/s`,
      drainMs === null ? undefined : drainMs / idealMs,
      1.15,
      '× ideal',
      `${drainMs === null ? 'n/a' : (drainMs / 1000).toFixed(1)} s vs ${(idealMs / 1000).toFixed(1)} s${complete ? '' : ', INCOMPLETE'}`,
    ),
    atMost('calls before their Retry-After had passed (earlyRetries)', stats.earlyRetries, 0, ''),
    atMost('duplicate invitations', stats.duplicates, 0, ''),
    reported('429 answers', stats.byStatus['429'] ?? 0, ''),
    reported('approve invoke p99 during the backlog', driver.latency.summaries().approve?.p99, 'ms'),
  ];

  log(
    `\n== throttle: HTTP latency ==\n${formatTable(SUMMARY_HEADER, [summaryRow('submitRequest', driver.latency.summaries().submitRequest), summaryRow('approve', driver.latency.summaries().approve), summaryRow('time-to-link', summarize(links))])}`,
  );
  log(`graph sandbox: ${JSON.stringify(graphSummary)}`);
  log(
    `CPU cores from the first approve to the end: ${Object.entries(cpu)
      .map(([name, share]) => `${name} ${share.cores.toFixed(2)}`)
      .join(', ')}`,
  );
  log(
    `drain ${drainMs === null ? 'n/a' : Math.round(drainMs)} ms (last answer ${Number.isFinite(lastAnswered) ? Math.round(lastAnswered - firstApprove) : 'n/a'} ms), ideal ${Math.round(idealMs)} ms; links delivered ${links.length}/${n}`,
  );
  for (const error of [...submit.errors, ...approve.errors]) log(`error: ${error}`);
  log(`\n${formatTargets(targets)}`);

  return {
    scenario: 'throttle',
    settings: {
      approvals: n,
      throttlePerSecond: rate,
      concurrency,
      graphLatencyMs: options.graphLatencyMs,
      invitesPerSecond,
      inviteConcurrency,
      sweepIntervalSeconds: options.sweepSeconds,
      approvers: rig.approvers.length,
    },
    submit,
    approve,
    latency: driver.latency.summaries(),
    drainMs,
    idealMs,
    drainRatio: drainMs === null ? null : drainMs / idealMs,
    lastAnswerMs: Number.isFinite(lastAnswered) ? lastAnswered - firstApprove : null,
    linksDelivered: links.length,
    timeToLink: summarize(links),
    graph: graphSummary,
    peakRssMb: memory.peakRssMb,
    startupMs: bot.startupMs,
    cpu,
    targets,
    profile,
  };
}
