/**
 * One HTTP exchange with Microsoft Graph over node:http and node:https, read to the end.
 *
 * Graph was called with fetch until the eleventh session. fetch (undici in Node) answers through
 * web streams, and under the bench's flow load its one call per flow cost the bot more CPU than any
 * other outgoing call: about 5 % of all it did (README, Performance). node:http is what the Azure
 * and Bot Framework SDKs send through here already. Connections are kept alive, one agent per
 * scheme; the caller's signal (the per-call timeout in retry.ts) covers the whole exchange, body
 * included. Redirects are not followed: Graph's answers to these calls are never redirects, and
 * a 3xx is handed back like any other status.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What retry.ts reads of an answer; fetch's Response has the same shape. */
export interface GraphHttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface GraphHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  /** The connection pool; by default one kept-alive agent per scheme for the process. */
  readonly agent?: HttpAgent;
}

const KEPT_ALIVE = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) } as const;

/** A header as fetch's Headers.get gives it: several values joined with ", ", absent = null. */
function headerOf(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

export function sendGraphRequest(url: string, init: GraphHttpRequest): Promise<GraphHttpResponse> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return Promise.reject(new TypeError(`Microsoft Graph: unsupported URL scheme "${target.protocol}"`));
  }
  const secure = target.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const headers: Record<string, string | number> = { ...init.headers };
  if (init.body !== undefined) headers['Content-Length'] = Buffer.byteLength(init.body);
  return new Promise<GraphHttpResponse>((resolve, reject) => {
    const request = send(target, {
      method: init.method,
      headers,
      signal: init.signal,
      agent: init.agent ?? (secure ? KEPT_ALIVE.https : KEPT_ALIVE.http),
    });
    request.on('error', reject);
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A body cut short (the connection reset, or the signal fired) is an error, never a short answer.
      response.on('error', reject);
      const cutShort = () => reject(Object.assign(new Error('Microsoft Graph: the answer was cut short'), { code: 'ECONNRESET' }));
      response.on('aborted', cutShort);
      response.on('end', () => {
        if (!response.complete) return cutShort();
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          headers: { get: (name) => headerOf(response.headers, name) },
          text: () => Promise.resolve(text),
        });
      });
    });
    request.end(init.body);
  });
}
