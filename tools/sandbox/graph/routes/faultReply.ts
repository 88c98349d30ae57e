/**
 * Turns a fault step (scripted or chaos) into what the call experiences: a delay, a dropped
 * connection, or a Graph-shaped error with Retry-After in either of its two forms.
 */
import { defaultErrorCode, defaultErrorMessage, type FaultStep } from '../faults';
import { graphError, type Reply } from '../reply';
import { monotonicEpochMs } from '../state';
import { delay, type SandboxRequest } from './context';

/** A Retry-After the sandbox gave: relative to when the answer leaves, or an absolute instant. */
export type RetryAfterGiven = { readonly deltaMs: number } | { readonly atMs: number };

export type FaultEffect =
  /** Nothing (left) to fail: handle the call normally. */
  | { readonly kind: 'continue' }
  | { readonly kind: 'client-gone' }
  | { readonly kind: 'reply'; readonly reply: Reply; readonly status: number | null; readonly retryAfter?: RetryAfterGiven };

export async function applyFault(request: SandboxRequest, step: FaultStep): Promise<FaultEffect> {
  if (step.latencyMs && !(await delay(step.latencyMs, request.signal))) return { kind: 'client-gone' };
  if (step.reset) return { kind: 'reply', reply: { kind: 'reset' }, status: null };
  if (step.status === undefined) return { kind: 'continue' };

  const headers: Record<string, string> = {};
  let retryAfter: RetryAfterGiven | undefined;
  if (step.retryAfterSeconds !== undefined) {
    if (step.retryAfterAsDate) {
      // HTTP-dates have whole seconds; round up so the date is never sooner than promised.
      const atMs = Math.ceil((monotonicEpochMs() + step.retryAfterSeconds * 1000) / 1000) * 1000;
      headers['Retry-After'] = new Date(atMs).toUTCString();
      retryAfter = { atMs };
    } else {
      headers['Retry-After'] = String(Math.ceil(step.retryAfterSeconds));
      retryAfter = { deltaMs: Math.ceil(step.retryAfterSeconds) * 1000 };
    }
  }
  const reply = graphError(
    request,
    step.status,
    step.code ?? defaultErrorCode(step.status),
    step.message ?? defaultErrorMessage(step.status),
    headers,
  );
  return { kind: 'reply', reply, status: step.status, retryAfter };
}
