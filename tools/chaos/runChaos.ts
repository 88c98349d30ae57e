/**
 * The chaos run behind `npm run chaos`: many request flows (submit → approval cards → approve,
 * sometimes by both approvers at once through both processes) against two bot processes, with
 * random Graph faults (the sandbox's chaos rate) and random SIGKILL + restart of one process.
 * Then scenarios, one after another, each with a few fresh flows started while the fault lasts:
 * storage frozen (SIGSTOP of the storage process), Teams hanging, Graph hanging; each prints its
 * recovery time (from the end of the fault until every flow of the scenario is invited and told).
 * Afterwards every flow is judged from storage, the sandbox's log and the connector's log; a link
 * message delivered twice to a requester is a failure.
 */
import { Cluster, CLUSTER_APPROVERS, CLUSTER_REQUESTERS, sleep, uniqueEmail, type Verdict } from './cluster';
import type { GuestRequest } from '../../src/domain/guestRequest';
import { mulberry32 } from '../sandbox/graph/faults';

export interface ChaosOptions {
  readonly storageConnectionString: string;
  readonly flows?: number;
  /** Flows in flight at once. */
  readonly concurrency?: number;
  /** Graph sandbox chaos rate (0..1) and seed. */
  readonly graphFaultRate?: number;
  readonly seed?: number;
  /** Mean milliseconds between kills of one process. */
  readonly killEveryMs?: number;
  /** Lease TTL of the bot processes: how long a killed holder blocks the others (must exceed a Graph call's retries). */
  readonly leaseSeconds?: number;
  /** Up to this long (random) between one worker's flows. */
  readonly flowPauseMs?: number;
  /** Hard bound on the random phase (the scenarios have their own). */
  readonly deadlineMs?: number;
  /** Fault scenarios run after the random phase, in order (default: all three, short). */
  readonly scenarios?: readonly ScenarioSpec[];
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the storage process; without it the storage scenario is skipped. */
  readonly freezeStorage?: (frozen: boolean) => void;
  readonly log?: (line: string) => void;
}

export interface ChaosFigures {
  flows: number;
  /** Requests whose id a requester received that storage no longer has, or Invited without the link ever reaching the requester. */
  lost: number;
  /** More than one guest user for an address, or more than one decision for a request. */
  duplicated: number;
  /** Not Invited-and-told when the run ended. */
  stuck: number;
  /** Flows that never got a request stored (every submit attempt hit a dying process); not lost: the requester saw an error. */
  abandoned: number;
  kills: number;
  graphCalls: number;
  graphFaults: number;
  /** Graph re-sends to the same user after a crash (allowed by docs/protocol.md §4). */
  resends: number;
  /** Link messages delivered more than once: must be 0 (a delivery record is written before each send). */
  repeatedLinks: number;
  /** Requests recorded as told whose sender stopped mid-send, so the message was not sent again (README, Reliability). */
  unconfirmedLinks: number;
  /** Per scenario: seconds from the end of the fault until its flows were all invited and told (null: not within the bound). */
  recovery: Record<string, number | null>;
  seconds: number;
  problems: string[];
}

export interface ScenarioSpec {
  readonly kind: 'storageFrozen' | 'connectorHangs' | 'graphHangs';
  /** How long the fault lasts. */
  readonly seconds: number;
}

/** The default scenarios: short enough to keep `npm run chaos` near three minutes. */
export const DEFAULT_SCENARIOS: readonly ScenarioSpec[] = [
  { kind: 'storageFrozen', seconds: 30 },
  { kind: 'connectorHangs', seconds: 20 },
  { kind: 'graphHangs', seconds: 30 },
];

/** Flows started during each scenario. */
const SCENARIO_FLOWS = 4;
/** How long a scenario's flows may take to finish after the fault ends before it counts as not recovered. */
const RECOVERY_BOUND_MS = 90_000;

interface Flow {
  readonly email: string;
  requestId?: string;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const started = Date.now();
  let deadline = started + (options.deadlineMs ?? 170_000);
  const log = options.log ?? (() => undefined);
  // Seeded: a run can be replayed as far as timing allows.
  const rnd = mulberry32(options.seed ?? 42);
  const flowCount = options.flows ?? 40;
  const cluster = await Cluster.start({
    storageConnectionString: options.storageConnectionString,
    instances: 2,
    graph: { chaos: { rate: options.graphFaultRate ?? 0.25, seed: options.seed ?? 42 } },
    env: { LEASE_SECONDS: String(options.leaseSeconds ?? 20), SWEEP_INTERVAL_SECONDS: '5', LOG_LEVEL: 'info' },
  });
  const figures: ChaosFigures = {
    flows: flowCount,
    lost: 0,
    duplicated: 0,
    stuck: 0,
    abandoned: 0,
    kills: 0,
    graphCalls: 0,
    graphFaults: 0,
    resends: 0,
    repeatedLinks: 0,
    unconfirmedLinks: 0,
    recovery: {},
    seconds: 0,
    problems: [],
  };
  try {
    const live = () => cluster.bots.map((b, i) => (b ? i : -1)).filter((i) => i >= 0);
    const pick = () => {
      const up = live();
      return up[Math.floor(rnd() * up.length)] ?? 0;
    };
    /** Calls through a live process; a process dying under the call is retried elsewhere (bounded). */
    const attempt = async <T>(what: string, call: (index: number) => Promise<T>): Promise<T | undefined> => {
      for (let tries = 0; tries < 6 && Date.now() < deadline; tries++) {
        if (live().length === 0) {
          await sleep(300);
          continue;
        }
        try {
          return await call(pick());
        } catch (err) {
          log(`  ${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}; retrying`);
          await sleep(300 + Math.floor(rnd() * 500));
        }
      }
      return undefined;
    };

    // The killer: one process at a time, SIGKILL by PID, then started again on the same tables.
    let driving = true;
    const killer = (async () => {
      const meanMs = options.killEveryMs ?? 5000;
      while (driving && Date.now() < deadline && figures.kills < 50) {
        await sleep(meanMs / 2 + rnd() * meanMs);
        if (!driving) break;
        const index = Math.floor(rnd() * cluster.bots.length);
        const pid = cluster.bots[index]?.pid;
        await cluster.kill(index);
        figures.kills++;
        log(`  killed bot ${index} (pid ${pid})`);
        await sleep(200 + rnd() * 1500);
        for (let tries = 0; tries < 3; tries++) {
          try {
            await cluster.startBot(index);
            break;
          } catch (err) {
            log(`  restart of bot ${index} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
          }
        }
      }
    })();

    const flows: Flow[] = Array.from({ length: flowCount }, (_, i) => ({ email: uniqueEmail(`chaos${i}`) }));
    const drive = async (flow: Flow, n: number) => {
      const requester = CLUSTER_REQUESTERS[n % CLUSTER_REQUESTERS.length]!;
      flow.requestId = await attempt('submit', (i) => cluster.submit(i, requester, flow.email));
      if (!flow.requestId) return;
      const id = flow.requestId;
      // Approvers act on the card they received (a crash may delay it until a sweep resends it).
      try {
        await cluster.approvalCardsSent(id, 25_000);
      } catch {
        log(`  ${id}: approval cards late; approving anyway`);
      }
      const both = rnd() < 0.3;
      const approvers = both ? CLUSTER_APPROVERS : [CLUSTER_APPROVERS[Math.floor(rnd() * CLUSTER_APPROVERS.length)]!];
      await Promise.all(
        approvers.map((approver, k) =>
          attempt('approve', async (i) => {
            // Both at once: each approver through a different process, while both are up.
            const target = both && cluster.bots[k] ? k : i;
            const answer = await cluster.approve(target, approver, id);
            if (answer.status !== 200) throw new Error(`approve answered ${answer.status}`);
            return answer;
          }),
        ),
      );
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency ?? 4 }, async () => {
        while (next < flows.length && Date.now() < deadline) {
          const n = next++;
          await drive(flows[n]!, n).catch((err: unknown) => log(`  flow ${n}: ${String(err)}`));
          // Spread the flows over time, so that kills land in every phase of a request's life.
          await sleep(rnd() * (options.flowPauseMs ?? 2500));
        }
      }),
    );
    driving = false;
    await killer;
    if (live().length < cluster.bots.length) {
      for (const [i, b] of cluster.bots.entries()) if (!b) await cluster.startBot(i).catch(() => undefined);
    }

    let ids = flows.filter((f) => f.requestId).map((f) => f.requestId!);
    log(`driven: ${ids.length} requests, ${figures.kills} kills; waiting for them to settle`);
    const done = (r: GuestRequest | undefined) => r?.status === 'Invited' && Boolean(r.requesterNotifiedAt);
    await cluster.settle(ids, done, Math.max(5_000, deadline - Date.now()));

    // The scenarios: a fault, fresh flows started while it lasts, then the time until they are all done.
    for (const scenario of options.scenarios ?? DEFAULT_SCENARIOS) {
      if (scenario.kind === 'storageFrozen' && !options.freezeStorage) continue;
      const name = `${scenario.kind} ${scenario.seconds} s`;
      const holdMs = scenario.seconds * 1000;
      deadline = Date.now() + holdMs + RECOVERY_BOUND_MS;
      const batch: Flow[] = Array.from({ length: SCENARIO_FLOWS }, (_, i) => ({ email: uniqueEmail(`${scenario.kind}${i}`) }));
      const first = flows.length;
      flows.push(...batch);
      log(`scenario ${name}: starting`);
      if (scenario.kind === 'storageFrozen') options.freezeStorage!(true);
      else if (scenario.kind === 'connectorHangs') cluster.connector.hangAll(holdMs);
      else cluster.graph.state.startOutage('hang', holdMs);
      const driving = batch.map((flow, i) => drive(flow, first + i).catch((err: unknown) => log(`  flow ${first + i}: ${String(err)}`)));
      await sleep(holdMs);
      if (scenario.kind === 'storageFrozen') options.freezeStorage!(false);
      const released = Date.now();
      await Promise.all(driving);
      const batchIds = batch.filter((f) => f.requestId).map((f) => f.requestId!);
      const recovered =
        batchIds.length === batch.length &&
        (await cluster.settle(batchIds, done, Math.max(1000, released + RECOVERY_BOUND_MS - Date.now())));
      figures.recovery[name] = recovered ? Math.round((Date.now() - released) / 100) / 10 : null;
      log(`scenario ${name}: ${recovered ? `recovered ${figures.recovery[name]} s after the fault ended` : 'NOT recovered'}`);
    }

    ids = flows.filter((f) => f.requestId).map((f) => f.requestId!);
    figures.flows = flows.length;
    figures.abandoned = flows.length - ids.length;

    for (const flow of flows) {
      if (!flow.requestId) continue;
      const v: Verdict = await cluster.verdict(flow.requestId, flow.email);
      const request = await cluster.request(flow.requestId);
      const problem = (kind: string, text: string) => figures.problems.push(`${kind} ${flow.requestId} <${flow.email}>: ${text}`);
      if (v.status === 'missing') {
        figures.lost++;
        problem('lost', 'not in storage');
        continue;
      }
      if (request?.outcomeDeliveryUnconfirmed) figures.unconfirmedLinks++;
      if (v.status === 'Invited' && request?.requesterNotifiedAt && v.linkMessages === 0) {
        // A sender stopped mid-send: at most once by design, and the link is on the status card ("my requests").
        if (request.outcomeDeliveryUnconfirmed) problem('note:', 'link message unconfirmed (sender stopped mid-send) and not delivered');
        else {
          figures.lost++;
          problem('lost', 'marked told, but no link message reached the requester');
        }
      }
      if (v.linkMessages > 1) problem('duplicated', `${v.linkMessages} link messages`);
      if (v.invitedUsers > 1 || v.approvals > 1) {
        figures.duplicated++;
        problem('duplicated', `${v.invitedUsers} guest users, ${v.approvals} decisions`);
      }
      if (v.status !== 'Invited' || !request?.requesterNotifiedAt) {
        figures.stuck++;
        problem('stuck', `status ${v.status}, requester told: ${Boolean(request?.requesterNotifiedAt)}`);
      }
      figures.resends += Math.max(0, v.invitationsCreated - 1);
      figures.repeatedLinks += Math.max(0, v.linkMessages - 1);
    }
    for (const line of figures.problems) {
      const id = /GR-[0-9A-Z]{10}/.exec(line)?.[0];
      if (!id) continue;
      for (const out of cluster.outputs) for (const l of out) if (l.includes(id)) log(`    ${l.slice(0, 400)}`);
    }
    const stats = cluster.graph.state.stats();
    figures.graphCalls = stats.calls;
    figures.graphFaults = Object.entries(stats.byStatus)
      .filter(([status]) => status !== '201')
      .reduce((sum, [, count]) => sum + count, 0);
    if (stats.earlyRetries > 0) {
      const early = cluster.graph.state.invitations().filter((c) => c.early);
      const addresses = early.map((c) => String((c.body as Record<string, unknown>)?.invitedUserEmailAddress));
      figures.problems.push(
        `note: ${stats.earlyRetries} Graph calls arrived before a Retry-After given for the same address (${addresses.join(', ')})`,
      );
    }
  } finally {
    await cluster.stop();
    figures.seconds = Math.round((Date.now() - started) / 1000);
  }
  return figures;
}
