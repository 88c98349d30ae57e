/**
 * The chaos run behind `npm run chaos`: many request flows (submit → approval cards → approve,
 * sometimes by both approvers at once through both processes) against two bot processes, with
 * random Graph faults (the sandbox's chaos rate) and random SIGKILL + restart of one process.
 * Afterwards every flow is judged from storage, the sandbox's log and the connector's log.
 */
import { Cluster, CLUSTER_APPROVERS, CLUSTER_REQUESTERS, sleep, uniqueEmail, type Verdict } from './cluster';
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
  /** Hard bound on the whole run. */
  readonly deadlineMs?: number;
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
  /** Graph re-sends to the same user after a crash (allowed by CONTRACT §4). */
  resends: number;
  /** Link messages delivered more than once (a crash between telling and recording it). */
  repeatedLinks: number;
  seconds: number;
  problems: string[];
}

interface Flow {
  readonly email: string;
  requestId?: string;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 170_000);
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
  const figures: ChaosFigures = { flows: flowCount, lost: 0, duplicated: 0, stuck: 0, abandoned: 0, kills: 0, graphCalls: 0, graphFaults: 0, resends: 0, repeatedLinks: 0, seconds: 0, problems: [] };
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

    const ids = flows.filter((f) => f.requestId).map((f) => f.requestId!);
    figures.abandoned = flows.length - ids.length;
    log(`driven: ${ids.length} requests, ${figures.kills} kills; waiting for them to settle`);
    await cluster.settle(ids, (r) => r?.status === 'Invited' && Boolean(r.requesterNotifiedAt), Math.max(5_000, deadline - Date.now()));

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
      if (v.status === 'Invited' && request?.requesterNotifiedAt && v.linkMessages === 0) {
        figures.lost++;
        problem('lost', 'marked told, but no link message reached the requester');
      }
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
      figures.problems.push(`note: ${stats.earlyRetries} Graph calls arrived before a Retry-After given for the same address (${addresses.join(', ')})`);
    }
  } finally {
    await cluster.stop();
    figures.seconds = Math.round((Date.now() - started) / 1000);
  }
  return figures;
}
