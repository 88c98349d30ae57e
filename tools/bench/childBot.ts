/**
 * Starts a bot entry (our bot or the echo bot) as a child process on a free loopback port and
 * measures it from the outside: start-up = spawn → first 200 from GET /healthz; memory = the
 * kernel's VmHWM (peak resident set) and VmRSS from /proc/<pid>/status, sampled while it runs.
 * Stopped by its PID (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { freePort } from '../freePort';
import { BenchHttpClient } from './httpClient';

export interface ChildBotOptions {
  readonly label: string;
  /** The compiled entry (.js) to run. */
  readonly entry: string;
  /** The child's whole environment (nothing is inherited but what is passed). */
  readonly env: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly execArgv?: readonly string[];
  /** stdout and stderr go here (pino's JSON log lines). */
  readonly logFile: string;
  readonly startTimeoutMs?: number;
}

export interface MemorySample {
  /** Peak resident set size (VmHWM, the kernel's own high-water mark) in MiB. */
  readonly peakRssMb: number;
}

export interface HeapSample {
  readonly rssMb: number;
  readonly heapTotalMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
  /** V8's heap spaces by name (old_space, code_space, …): committed and used MiB. */
  readonly spaces?: ReadonlyArray<{ readonly name: string; readonly sizeMb: number; readonly usedMb: number }>;
}

export interface ChildBot {
  readonly label: string;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** spawn → first healthy GET /healthz. */
  readonly startupMs: number;
  /** spawn → first 200 from GET /readyz (storage reachable), when the entry has it. */
  readonly readyMs?: number;
  memory(): MemorySample;
  /** process.memoryUsage() inside the child (MiB), asked over IPC; undefined if it does not answer. */
  heap(): Promise<HeapSample | undefined>;
  /** The current resident set (VmRSS) in MiB, from /proc; undefined once it has exited. */
  rssMb(): number | undefined;
  /** Sends `message` over IPC and resolves with the first answer of the same type (undefined after timeoutMs, default 2 s). */
  ask<T>(message: { readonly type: string } & Record<string, unknown>, timeoutMs?: number): Promise<T | undefined>;
  /** Graceful stop; resolves with how it ended. Safe to call twice. */
  stop(): Promise<{ code: number | null; signal: string | null; forced: boolean }>;
}

/** The process's peak RSS so far (VmHWM), in kB. */
function peakRssKb(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The process's resident set now (VmRSS), in kB. */
function rssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function startChildBot(options: ChildBotOptions): Promise<ChildBot> {
  const port = await freePort();
  const log = openSync(options.logFile, 'w');
  const startedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...(options.execArgv ?? []), options.entry], {
    env: { ...options.env, PORT: String(port) },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.label}: could not spawn ${options.entry}`);

  let exit: { code: number | null; signal: string | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );

  // The kernel keeps the peak (VmHWM); it is read while the process is alive, last before it stops.
  let peakKb = 0;
  const sample = () => {
    peakKb = Math.max(peakKb, peakRssKb(pid) ?? 0);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = startedAt + (options.startTimeoutMs ?? 30_000);
  let startupMs: number | undefined;
  let readyMs: number | undefined;
  const forceStop = async () => {
    if (!exit) child.kill('SIGKILL');
    await exited;
  };
  try {
    // Poll often: the figure is spawn → healthy, and the poll interval is its resolution.
    while (startupMs === undefined) {
      if (exit)
        throw new Error(`${options.label} exited during start-up (code ${exit.code}, signal ${exit.signal}); see ${options.logFile}`);
      if (performance.now() > deadline)
        throw new Error(`${options.label} was not healthy within ${options.startTimeoutMs ?? 30_000} ms; see ${options.logFile}`);
      if ((await BenchHttpClient.probe(`${url}/healthz`, 500)) === 200) startupMs = performance.now() - startedAt;
      else await new Promise((r) => setTimeout(r, 5));
    }
    for (let i = 0; i < 200 && readyMs === undefined; i++) {
      const status = await BenchHttpClient.probe(`${url}/readyz`, 2000);
      if (status === 200) readyMs = performance.now() - startedAt;
      else if (status === 404) break;
      else await new Promise((r) => setTimeout(r, 10));
    }
  } catch (err) {
    await forceStop();
    throw err;
  }
  sample();

  let stopping: Promise<{ code: number | null; signal: string | null; forced: boolean }> | undefined;
  const ask = <T>(message: { readonly type: string } & Record<string, unknown>, timeoutMs = 2000): Promise<T | undefined> => {
    if (exit || !child.connected) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        resolve(undefined);
      }, timeoutMs);
      const onMessage = (answer: unknown) => {
        if ((answer as { type?: unknown } | null)?.type !== message.type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(answer as T);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  };
  return {
    ask,
    rssMb() {
      if (exit) return undefined;
      sample();
      const kb = rssKb(pid);
      return kb === undefined ? undefined : kb / 1024;
    },
    label: options.label,
    pid,
    port,
    url,
    startupMs,
    readyMs,
    async heap() {
      const m = await ask<{
        usage?: NodeJS.MemoryUsage;
        spaces?: Array<{ name: string; size: number; used: number }>;
      }>({ type: 'memory' });
      if (!m?.usage) return undefined;
      const mb = (bytes: number) => bytes / (1024 * 1024);
      return {
        rssMb: mb(m.usage.rss),
        heapTotalMb: mb(m.usage.heapTotal),
        heapUsedMb: mb(m.usage.heapUsed),
        externalMb: mb(m.usage.external),
        arrayBuffersMb: mb(m.usage.arrayBuffers),
        spaces: m.spaces?.map((s) => ({ name: s.name, sizeMb: mb(s.size), usedMb: mb(s.used) })),
      };
    },
    memory() {
      if (!exit) sample();
      return { peakRssMb: peakKb / 1024 };
    },
    stop() {
      stopping ??= (async () => {
        if (!exit) sample();
        if (exit) return { ...exit, forced: false };
        child.kill('SIGTERM');
        let forced = false;
        const timer = setTimeout(() => {
          forced = true;
          child.kill('SIGKILL');
        }, 15_000);
        const result = await exited;
        clearTimeout(timer);
        return { ...result, forced };
      })();
      return stopping;
    },
  };
}
