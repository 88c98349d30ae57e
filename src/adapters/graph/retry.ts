/**
 * The one resilience policy every Graph call goes through. Throttling (429), server errors (any
 * 5xx, as docs/protocol.md §4 says), network failures and per-call timeouts are retried: after Retry-After when Graph
 * gives one (never sooner), otherwise after an exponential backoff with full jitter. Attempts and
 * total time are capped; past the cap the caller gets TransientInvitationError ("try later"). Any
 * other 4xx is a PermanentInvitationError at once: asking again would get the same answer.
 */
import { performance } from 'node:perf_hooks';
import { PermanentInvitationError, TransientInvitationError } from '../../domain/ports';
import { describeGraphError, parseGraphError, type GraphErrorDetail } from './graphErrors';
import type { GraphHttpResponse } from './graphHttp';

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** From the first attempt; no attempt starts or waits past it. */
  readonly totalBudgetMs: number;
  readonly perCallTimeoutMs: number;
  /** Backoff for attempt n is random in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  totalBudgetMs: 60_000,
  perCallTimeoutMs: 15_000,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
};

/** pino-compatible; fields first, message second. */
export interface GraphLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface RetryEnvironment {
  readonly policy: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds on a clock that only moves forward; the budget is measured on it. */
  readonly now: () => number;
  readonly random: () => number;
  readonly logger?: GraphLogger;
}

/** A response read to the end inside the attempt, so the timeout covers the body too. */
export interface GraphResponse {
  readonly status: number;
  readonly headers: GraphHttpResponse['headers'];
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  readonly body: unknown;
}

export interface GraphCall {
  /** Names the call in logs and messages, e.g. "invite"; never a URL or an address. */
  readonly operation: string;
  /** One attempt. `attempt` counts from 1; the signal fires at the per-call timeout. */
  send(signal: AbortSignal, attempt: number): Promise<GraphHttpResponse>;
  /** The sentence for a permanent refusal. */
  readonly describe?: (error: GraphErrorDetail) => string;
  /** Refusals that are answers for this call (e.g. "already a member"), returned instead of thrown. */
  readonly accept?: (error: GraphErrorDetail) => boolean;
  /** Waits for a turn before each attempt (a pacer); the per-call timeout starts after it. */
  readonly gate?: <T>(attempt: () => Promise<T>) => Promise<T>;
}

/** 429 and every 5xx (docs/protocol.md §4: "429, 5xx and connection failures are transient"). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Retry-After as milliseconds from now: delta-seconds ("120") or an HTTP-date. Undefined when
 * absent or unreadable (then backoff applies). A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, nowEpochMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.max(0, at - nowEpochMs);
}

/** Full jitter (AWS architecture blog): spreads retries of many clients over the whole window. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

const TRANSIENT_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Network failures and timeouts, as fetch (undici) and node:http report them. */
export function isTransientNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_ERROR_CODES.has(code)) return true;
  // fetch wraps every network failure as TypeError("fetch failed"), and a body cut short as "terminated".
  if (error.name === 'TypeError' && /^(fetch failed|terminated)$/.test(error.message)) return true;
  if (/socket hang up|other side closed/i.test(error.message)) return true;
  return error.cause !== undefined && error.cause !== error && isTransientNetworkError(error.cause);
}

/** setTimeout can fire a millisecond early; this never returns before ms have passed. */
export async function sleepAtLeast(ms: number): Promise<void> {
  const end = performance.now() + ms;
  for (let left = ms; left > 0; left = end - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
  }
}

export function retryEnvironment(options: {
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  logger?: GraphLogger;
}): RetryEnvironment {
  return {
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? sleepAtLeast,
    now: options.now ?? (() => performance.now()),
    random: options.random ?? Math.random,
    logger: options.logger,
  };
}

/** Runs the call under the policy; resolves with a 2xx (or accepted) response. */
export async function callGraph(call: GraphCall, env: RetryEnvironment): Promise<GraphResponse> {
  const { policy } = env;
  // The budget starts with the first attempt, not while waiting for the pacer: time queued behind
  // other invitations must not leave an attempt too little time to get Graph's answer.
  let firstAttemptAt: number | undefined;
  const spent = () => (firstAttemptAt === undefined ? 0 : env.now() - firstAttemptAt);
  let lastProblem = 'no attempt was made';
  let lastRetryAfterMs: number | undefined;

  for (let attempt = 1; ; attempt++) {
    if (spent() >= policy.totalBudgetMs) break;

    let retryAfterMs: number | undefined;
    let response: GraphResponse | undefined;
    try {
      const gate = call.gate ?? ((attemptNow) => attemptNow());
      response = await gate(() => {
        firstAttemptAt ??= env.now();
        // Always the full per-call timeout: an attempt cut short can leave Graph creating an
        // invitation whose answer we no longer wait for (and a later retry would create it again).
        return readResponse(call, attempt, policy.perCallTimeoutMs);
      });
    } catch (error) {
      if (!isTransientNetworkError(error)) throw error;
      lastRetryAfterMs = undefined;
      lastProblem = networkProblem(error as Error);
    }
    if (response) {
      if (response.status < 400) return response;
      const error = parseGraphError(response.status, response.body, response.headers.get('request-id'));
      if (!isRetryableStatus(response.status)) {
        if (call.accept?.(error)) return response;
        env.logger?.warn(
          { operation: call.operation, attempt, status: error.status, code: error.code, requestId: error.requestId },
          'Microsoft Graph refused the call',
        );
        throw new PermanentInvitationError(error.code, (call.describe ?? describeGraphError)(error), error.status);
      }
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      lastRetryAfterMs = retryAfterMs;
      lastProblem = `HTTP ${error.status} ${error.code}${error.requestId ? ` (request-id ${error.requestId})` : ''}`;
    }

    if (attempt >= policy.maxAttempts) break;
    const waitMs = retryAfterMs ?? backoffDelayMs(attempt, policy, env.random);
    if (spent() + waitMs >= policy.totalBudgetMs) break;
    env.logger?.warn({ operation: call.operation, attempt, problem: lastProblem, waitMs }, 'Microsoft Graph call failed; retrying');
    await env.sleep(waitMs);
  }

  const seconds = (spent() / 1000).toFixed(1);
  env.logger?.warn({ operation: call.operation, problem: lastProblem, seconds }, 'Microsoft Graph call gave up');
  throw new TransientInvitationError(
    `Microsoft Graph did not complete "${call.operation}" within the retry budget (${seconds} s; last problem: ${lastProblem}).`,
    lastRetryAfterMs,
  );
}

async function readResponse(call: GraphCall, attempt: number, timeoutMs: number): Promise<GraphResponse> {
  const signal = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
  const response = await call.send(signal, attempt);
  const text = await response.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status: response.status, headers: response.headers, body };
}

function networkProblem(error: Error): string {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer within the per-call timeout';
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return `network error (${cause?.code ?? (error as { code?: string }).code ?? cause?.message ?? error.message})`;
}
