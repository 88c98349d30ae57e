/**
 * What every sandbox route receives, and the small helpers routes share.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CallDelivery } from '../invitationLog';
import type { Reply, RequestInfo } from '../reply';
import type { SandboxState } from '../state';

/** How an answer ended: written, dropped on purpose, or the client had already gone. */
export type Delivery = CallDelivery;

export interface SandboxRequest extends RequestInfo {
  readonly method: string;
  /** The path below the version segment for Graph routes (e.g. "/users/abc"), else the full path. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly bodyText: string;
  /** e.g. http://127.0.0.1:5001/v1.0 — used for @odata.context and @odata.nextLink. */
  readonly graphBaseUrl: string;
  /** Aborted when the client goes away or the sandbox stops. */
  readonly signal: AbortSignal;
  readonly state: SandboxState;
  /** Called once the answer has left (or could not leave): the moment Retry-After counts from. */
  onDelivered(callback: (delivery: Delivery) => void): void;
}

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  handle(request: SandboxRequest, match: RegExpExecArray): Promise<Reply>;
}

/** Waits ms unless the signal fires first; returns false when it was cut short. */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!signal.aborted);
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A path segment captured by a route pattern, percent-decoded (ids may be UPNs with %40). */
export function segment(match: RegExpExecArray, index = 1): string {
  const raw = match[index] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export type JsonBody = { ok: true; value: unknown } | { ok: false };

/** Graph reads a body only when it is declared as JSON and parses. */
export function readJsonBody(request: SandboxRequest): JsonBody {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(request.bodyText) as unknown };
  } catch {
    return { ok: false };
  }
}

export const INVALID_JSON_MESSAGE =
  'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';
