/**
 * The periodic sweep (at start-up and every SWEEP_INTERVAL_SECONDS): finishes what processes left
 * behind and does what time alone decides. One sweeper at a time across all instances (a short
 * lease, renewed while the sweep runs); every step is bounded. Recovery after a crash takes at most
 * one lease TTL (the dead holder's leases lapse) plus one interval: 20 s + 10 s by default.
 */
import { finishTeamMemberships } from './finishTeamMemberships';
import { redeliverOutcomes } from './redeliverOutcomes';
import { sweepOutbox } from './sweepOutbox';
import { sweepPending } from './sweepPending';
import type { Workflow } from '../workflow';
import { withLease } from '../withLease';
import { openRequests } from './requestsIn';

/** Open requests one sweep looks at; the rest wait for the next (every step is bounded). */
const MAX_OPEN = 2000;

export interface SweepSettings {
  readonly intervalMs: number;
  readonly leaseMs: number;
  readonly expiryMs: number;
  readonly reminderMs: number;
  /** Outbox requests worked on at once (INVITE_CONCURRENCY: Graph's pacer sets the actual rate). */
  readonly outboxConcurrency?: number;
}

export async function sweep(wf: Workflow, settings: SweepSettings): Promise<void> {
  await withLease(wf, 'sweep', settings.leaseMs, async () => {
    // One walk over the open requests (those with work left): each step below takes its share.
    const found = await openRequests(wf, MAX_OPEN);
    const counts = await sweepOutbox(wf, { concurrency: settings.outboxConcurrency, requests: found.Approved ?? [] });
    if (counts.invited + counts.failed + counts.retryLater > 0) wf.log.info({ counts }, 'outbox sweep');
    // Then what time alone decides for Pending requests (expiry, reminders, missing approval cards
    // whose fan-out's lease lapsed).
    const { expired, reminded, rerouted } = await sweepPending(
      wf,
      { expiryMs: settings.expiryMs, reminderMs: settings.reminderMs },
      found.Pending ?? [],
    );
    // Outcome messages Teams did not take the first time (denials, expiries).
    const redelivered = await redeliverOutcomes(wf, { windowMs: settings.expiryMs, found });
    if (expired + reminded + rerouted + redelivered > 0)
      wf.log.info({ expired, reminded, rerouted, redelivered }, 'expiry, reminder, routing and delivery sweep');
    // Invited guests not yet added to their team (a crash after the invitation, Graph unreachable).
    const teamSteps = await finishTeamMemberships(wf, { windowMs: settings.expiryMs, requests: found.Invited ?? [] });
    if (teamSteps.done + teamSteps.retryLater > 0) wf.log.info({ teamSteps }, 'team membership sweep');
  });
}
