/**
 * The real bot as a separate OS process, for crash tests, `npm run chaos` and `npm run bench`.
 *
 * Run directly (`node build/tools/botProcess.js`) it is the production entry's logic
 * (src/index.ts: configuration from the environment, createApp, SIGTERM/SIGINT drain) except that
 * it listens on 127.0.0.1 only. Started with an IPC channel (the benchmark), it also answers
 * "memory" and shuts down when the parent goes away, so a crashed benchmark leaves nothing behind.
 * Imported, `spawnBot` starts it as a child process with the given environment, and the handle
 * kills it by its PID (SIGKILL, to simulate a crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { runServer } from '../src/runServer';
import { withHeapStartFlags } from '../src/server/heapPolicy';
import { freePort, waitForPort } from './freePort';

export interface BotProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** The last lines the child wrote (stdout and stderr), for diagnostics. */
  readonly output: string[];
  readonly exited: Promise<number | null>;
  /** SIGKILL: a crash, nothing drained. Resolves once the process is gone. */
  kill(): Promise<void>;
}

const MAX_OUTPUT_LINES = 400;

export async function spawnBot(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...withHeapStartFlags(), join(__dirname, 'botProcess.js')], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('the bot process did not start');
  const pid = child.pid;
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > MAX_OUTPUT_LINES) output.splice(0, output.length - MAX_OUTPUT_LINES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let alive = true;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      alive = false;
      resolve(code);
    });
  });

  const signal = async (name: NodeJS.Signals, timeoutMs: number) => {
    if (!alive) return;
    try {
      process.kill(pid, name);
    } catch {
      return; // already gone
    }
    const timer = setTimeout(() => {
      if (alive) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }, timeoutMs);
    await exited;
    clearTimeout(timer);
  };

  try {
    await Promise.race([
      waitForPort(port, 20_000),
      exited.then((code) => {
        throw new Error(`the bot process exited (${code}) before listening:\n${output.slice(-20).join('\n')}`);
      }),
    ]);
  } catch (err) {
    await signal('SIGKILL', 1000);
    throw err;
  }
  return {
    pid,
    port,
    url: `http://127.0.0.1:${port}`,
    output,
    exited,
    kill: () => signal('SIGKILL', 1000),
  };
}

/** Child-process entry: what `npm start` runs, listening on loopback only. */
if (require.main === module) {
  runServer(process.env, { host: '127.0.0.1' })
    .then(({ shutdown }) => {
      if (!process.send) return;
      // The benchmark asks what the heap holds when it reads the RSS.
      process.on('message', (message: unknown) => {
        if ((message as { type?: unknown } | null)?.type === 'memory') process.send?.({ type: 'memory', usage: process.memoryUsage() });
      });
      process.on('disconnect', () => shutdown('parent gone'));
    })
    .catch((err: unknown) => {
      process.stderr.write(`fatal: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
