/**
 * A small loopback HTTP client for the load driver: node:http with keep-alive (fetch adds a
 * millisecond or two of its own per call, which would blur a comparison with a bare echo bot).
 * Times each call from just before the request is written to the last byte of the answer.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface TimedAnswer {
  readonly status: number;
  readonly body: any;
  readonly ms: number;
  /** Epoch ms when the request was sent. */
  readonly sentAt: number;
}

export class BenchHttpClient {
  private readonly agent: Agent;

  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** POSTs JSON; rejects on network errors or after timeoutMs. */
  post(url: string, body: unknown, timeoutMs = 30_000): Promise<TimedAnswer> {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    return new Promise<TimedAnswer>((resolve, reject) => {
      const sentAt = Date.now();
      const started = performance.now();
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': String(payload.length) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const ms = performance.now() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, ms, sentAt });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** GET returning the status only (health probes); short timeout, no keep-alive. */
  static probe(url: string, timeoutMs = 1000): Promise<number> {
    return new Promise((resolve) => {
      const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(0));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
