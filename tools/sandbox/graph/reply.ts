/**
 * What a sandbox handler answers. Handlers return a value instead of writing to the socket, so
 * that the server alone decides how (and whether) bytes go out — a reset, for instance, writes none.
 */
import { randomUUID } from 'node:crypto';

export type Reply =
  | { readonly kind: 'json'; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  /** Drop the connection without an answer, as a load balancer or a crashed front end would. */
  | { readonly kind: 'reset' }
  /** The client went away before we answered; there is nobody to answer. */
  | { readonly kind: 'abandoned' };

/** Per-request facts a handler needs to build Graph-shaped answers. */
export interface RequestInfo {
  readonly requestId: string;
  readonly clientRequestId?: string;
}

export function newRequestId(): string {
  return randomUUID();
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): Reply {
  return { kind: 'json', status, body, headers };
}

/**
 * Graph's error envelope. innerError carries the ids support asks for; Graph stamps its date
 * without a zone designator or fraction (e.g. "2023-08-08T05:36:11"), and so do we.
 */
export function graphError(info: RequestInfo, status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  const innerError: Record<string, string> = {
    date: new Date().toISOString().slice(0, 19),
    'request-id': info.requestId,
  };
  if (info.clientRequestId) innerError['client-request-id'] = info.clientRequestId;
  return json(status, { error: { code, message, innerError } }, headers);
}
