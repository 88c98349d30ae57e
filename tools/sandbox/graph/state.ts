/**
 * Everything the sandbox remembers, in one object that tests reach in-process and the control
 * API (/_sandbox/...) exposes over HTTP: the tenant's directory, the invitation calls it saw,
 * the fault script, chaos and throttling.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SandboxDirectory, type GroupSeed, type SandboxGroup, type SandboxUser, type UserSeed } from './directory';
import { Chaos, FaultQueue, type FaultStep } from './faults';
import { InvitationLog, type InvitationCall, type SandboxStats } from './invitationLog';
import { TeamsAppCatalog } from './teamsApps';
import { TokenBucket } from './tokenBucket';

export interface SandboxStateOptions {
  readonly tenantDomain: string;
  readonly tenantId?: string;
  readonly throttlePerSecond?: number;
  readonly chaos?: { readonly rate: number; readonly seed?: number };
  readonly users?: readonly UserSeed[];
  readonly groups?: readonly GroupSeed[];
}

/** Epoch milliseconds from the monotonic clock, so arrival gaps are never bent by clock steps. */
export function monotonicEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

export class SandboxState {
  readonly tenantId: string;
  readonly tenantDomain: string;
  readonly directory: SandboxDirectory;
  readonly log = new InvitationLog(monotonicEpochMs);
  readonly faults = new FaultQueue();
  /** The Teams app catalog and the apps installed for users (proactive installation). */
  readonly teamsApps = new TeamsAppCatalog();
  readonly throttle: TokenBucket | undefined;
  private chaosSource: Chaos | undefined;
  private outage: { readonly kind: 'error' | 'hang'; readonly untilMs: number } | undefined;

  constructor(private readonly options: SandboxStateOptions) {
    this.tenantId = options.tenantId ?? randomUUID();
    this.tenantDomain = options.tenantDomain;
    this.directory = new SandboxDirectory(options.tenantDomain);
    this.throttle = options.throttlePerSecond ? new TokenBucket(options.throttlePerSecond, monotonicEpochMs) : undefined;
    this.chaosSource = newChaos(options.chaos);
    this.seed();
  }

  get chaos(): Chaos | undefined {
    return this.chaosSource;
  }

  addUser(seed: UserSeed): SandboxUser {
    return this.directory.addUser(seed);
  }

  addGroup(seed: GroupSeed): SandboxGroup {
    return this.directory.addGroup(seed);
  }

  /** Queues answers for the next POST /invitations calls, one step per call, in order. */
  scriptFaults(steps: readonly FaultStep[]): void {
    this.faults.script(steps);
  }

  /**
   * A Graph outage for `durationMs`: every POST /invitations meanwhile answers 503 ('error') or gets
   * no answer at all ('hang': the connection is held until the caller gives up, or dropped when the
   * outage ends). Scripted faults and chaos apply again afterwards.
   */
  startOutage(kind: 'error' | 'hang', durationMs: number): void {
    if (!(durationMs > 0) || !Number.isFinite(durationMs)) throw new RangeError('durationMs must be a positive number');
    this.outage = { kind, untilMs: monotonicEpochMs() + durationMs };
  }

  endOutage(): void {
    this.outage = undefined;
  }

  /** The step an invitation call arriving now gets from the outage, if one is going on. */
  outageStep(): FaultStep | undefined {
    const outage = this.outage;
    const leftMs = outage ? outage.untilMs - monotonicEpochMs() : 0;
    if (!outage || leftMs <= 0) return undefined;
    return outage.kind === 'hang' ? { latencyMs: leftMs, reset: true } : { status: 503 };
  }

  invitations(): readonly InvitationCall[] {
    return this.log.list();
  }

  stats(): SandboxStats {
    return this.log.stats();
  }

  /** Back to the state at start: seeded users and groups only, no calls, no faults, full bucket. */
  reset(): void {
    this.directory.clear();
    this.teamsApps.clear();
    this.log.clear();
    this.faults.clear();
    this.outage = undefined;
    this.throttle?.refill();
    this.chaosSource = newChaos(this.options.chaos);
    this.seed();
  }

  private seed(): void {
    for (const user of this.options.users ?? []) this.directory.addUser(user);
    for (const group of this.options.groups ?? []) this.directory.addGroup(group);
  }
}

function newChaos(chaos: SandboxStateOptions['chaos']): Chaos | undefined {
  return chaos && chaos.rate > 0 ? new Chaos(chaos.rate, chaos.seed ?? 1) : undefined;
}
