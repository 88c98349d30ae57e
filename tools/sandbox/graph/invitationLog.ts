/**
 * What the sandbox saw of POST /invitations: every call with its body, arrival and answer times,
 * and the numbers tests judge a client by (early retries, duplicate invitations).
 */
import { normalizeEmail } from './emailAddress';

/** What the sandbox did with a call (whether or not the answer reached the client). */
export type CallOutcome = 'created' | 'rejected' | 'throttled' | 'fault' | 'reset' | 'client-gone';

/** Whether the answer left: written, dropped on purpose, or the client had already gone. */
export type CallDelivery = 'sent' | 'reset' | 'client-gone';

export interface InvitationCall {
  readonly seq: number;
  readonly requestId: string;
  /** Wall-clock arrival, ISO 8601. */
  readonly arrivedAt: string;
  /** Arrival in epoch milliseconds, sub-millisecond, from the monotonic clock (comparable to answeredAtMs). */
  readonly arrivedAtMs: number;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
  /** Whether an Authorization header carried a bearer token (the token itself is never kept). */
  readonly bearerToken: boolean;
  /** True when it arrived before a Retry-After this sandbox gave for the same address had passed. */
  readonly early: boolean;
  /** The HTTP status answered; null while pending or when no answer could be written. */
  status: number | null;
  outcome: CallOutcome | null;
  delivery: CallDelivery | null;
  answeredAtMs: number | null;
  retryAfterMs: number | null;
  invitationId: string | null;
  invitedUserId: string | null;
}

export interface SandboxStats {
  /** POST /invitations calls. */
  readonly calls: number;
  /** By HTTP status answered, plus "reset" and "client-gone" for calls that got no answer. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly invitationsCreated: number;
  readonly earlyRetries: number;
  /** Addresses for which an invitation was created more than once (answered or not). */
  readonly duplicates: number;
  readonly duplicateAddresses: readonly string[];
  /** Every Graph API request (all routes). */
  readonly requests: number;
}

export class InvitationLog {
  private calls: InvitationCall[] = [];
  private requests = 0;
  /** Address → epoch ms before which a retry would be early. */
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly nowMs: () => number) {}

  countRequest(): void {
    this.requests += 1;
  }

  arrive(requestId: string, body: unknown, bearerToken: boolean): InvitationCall {
    const arrivedAtMs = this.nowMs();
    const key = addressKey(body);
    const call: InvitationCall = {
      seq: this.calls.length + 1,
      requestId,
      arrivedAt: new Date(arrivedAtMs).toISOString(),
      arrivedAtMs,
      body,
      bearerToken,
      early: arrivedAtMs < (this.notBefore.get(key) ?? -Infinity),
      status: null,
      outcome: null,
      delivery: null,
      answeredAtMs: null,
      retryAfterMs: null,
      invitationId: null,
      invitedUserId: null,
    };
    this.calls.push(call);
    return call;
  }

  /**
   * Stamps the answer as it leaves. A Retry-After is measured from this moment: a client cannot
   * start waiting before it has the answer.
   */
  answered(
    call: InvitationCall,
    delivery: CallDelivery,
    status: number | null,
    outcome: CallOutcome,
    retryAfter?: { readonly deltaMs: number } | { readonly atMs: number },
  ): void {
    call.delivery = delivery;
    call.status = delivery === 'sent' ? status : null;
    call.outcome = outcome;
    const answeredAtMs = this.nowMs();
    call.answeredAtMs = answeredAtMs;
    if (retryAfter && delivery === 'sent') {
      const notBeforeMs = 'atMs' in retryAfter ? retryAfter.atMs : answeredAtMs + retryAfter.deltaMs;
      call.retryAfterMs = notBeforeMs - answeredAtMs;
      const key = addressKey(call.body);
      this.notBefore.set(key, Math.max(this.notBefore.get(key) ?? 0, notBeforeMs));
    }
  }

  list(): readonly InvitationCall[] {
    return this.calls;
  }

  stats(): SandboxStats {
    const byStatus: Record<string, number> = {};
    const createdPerAddress = new Map<string, number>();
    for (const call of this.calls) {
      const key = call.delivery === 'sent' ? String(call.status) : (call.delivery ?? 'pending');
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      if (call.outcome === 'created') {
        const address = addressKey(call.body);
        createdPerAddress.set(address, (createdPerAddress.get(address) ?? 0) + 1);
      }
    }
    const duplicateAddresses = [...createdPerAddress].filter(([, count]) => count > 1).map(([address]) => address);
    return {
      calls: this.calls.length,
      byStatus,
      invitationsCreated: [...createdPerAddress.values()].reduce((sum, count) => sum + count, 0),
      earlyRetries: this.calls.filter((call) => call.early).length,
      duplicates: duplicateAddresses.length,
      duplicateAddresses,
      requests: this.requests,
    };
  }

  clear(): void {
    this.calls = [];
    this.requests = 0;
    this.notBefore.clear();
  }
}

/** Retries are recognised by the invited address; a body without one shares a single key. */
function addressKey(body: unknown): string {
  if (typeof body === 'object' && body !== null && typeof (body as Record<string, unknown>).invitedUserEmailAddress === 'string') {
    return normalizeEmail((body as Record<string, string>).invitedUserEmailAddress as string);
  }
  return '*';
}
