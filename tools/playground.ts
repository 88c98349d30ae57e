/**
 * The Microsoft 365 Agents Playground (@microsoft/m365agentsplayground) as a child process: started
 * on a given loopback port against a bot endpoint with a given config file, awaited until it
 * listens, and stopped by its PID. Used by `npm run dev` and the end-to-end tests.
 *
 * The Playground itself listens on all interfaces; the child is started with this very file as a
 * `--require` preload (see the bottom), which makes every server in it bind to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export interface PlaygroundOptions {
  /** Where the bot takes activities, e.g. http://127.0.0.1:3978/api/messages. */
  readonly botEndpoint: string;
  /** Port to listen on (127.0.0.1); 0 = a free one. */
  readonly port: number;
  /** The .m365agentsplayground.yml to use (tenant, bot, users). */
  readonly configFile: string;
  /** Where the Playground writes its log file (default: <cwd>/devTools/m365agentsplayground.log). */
  readonly logFile?: string;
  /** Working directory of the child (default: the repository root). */
  readonly cwd?: string;
  /** Gets each line the Playground prints (stdout and stderr). */
  readonly onOutput?: (line: string) => void;
  /**
   * The serviceUrl the Playground puts in its activities (default: its own connector,
   * <url>/_connector); `npm run dev` gives every Playground the connector router's.
   */
  readonly serviceUrl?: string;
  /** How long to wait for "Listening on" (default 30 s). */
  readonly startTimeoutMs?: number;
}

export interface RunningPlayground {
  readonly pid: number;
  readonly port: number;
  /** The web page, e.g. http://127.0.0.1:56150 */
  readonly url: string;
  /** The serviceUrl of its activities: where the bot replies (its own connector, or the router in front of it). */
  readonly serviceUrl: string;
  readonly process: ChildProcess;
  /** Stops the child (and anything it started) by PID; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

const PRELOAD_FLAG = 'GUEST_ACCESS_PLAYGROUND_LOOPBACK';
const repoRoot = (): string => {
  // build/tools → repo root (compiled), or tools → repo root (ts-node style).
  for (const up of [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..')]) {
    if (existsSync(join(up, 'package.json')) && existsSync(join(up, 'node_modules'))) return up;
  }
  return process.cwd();
};

export function playgroundCliPath(root = repoRoot()): string {
  return join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
}

/** A free TCP port on 127.0.0.1. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const root = repoRoot();
  const cli = playgroundCliPath(root);
  if (!existsSync(cli)) throw new Error(`the Agents Playground is not installed (${cli}); run npm ci`);
  if (!existsSync(options.configFile)) throw new Error(`Playground config file not found: ${options.configFile}`);
  const port = options.port === 0 ? await freeLoopbackPort() : options.port;
  const serviceUrl = options.serviceUrl ?? `http://127.0.0.1:${port}/_connector`;
  const child = spawn(
    process.execPath,
    [
      '--require',
      __filename,
      cli,
      '-e',
      options.botEndpoint,
      '-c',
      'msteams',
      '-p',
      String(port),
      '--su',
      serviceUrl,
      '--disable-telemetry',
    ],
    {
      cwd: options.cwd ?? root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: stop() signals the group by the child's PID, which reaches its helpers too.
      detached: true,
      env: {
        ...process.env,
        [PRELOAD_FLAG]: '1',
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configFile,
        ...(options.logFile ? { M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile } : {}),
      },
    },
  );
  if (child.pid === undefined) throw new Error('could not start the Agents Playground');
  const pid = child.pid;

  // A detached child outlives its parent: take it down if this process exits without stop().
  const onParentExit = () => signal('SIGKILL');
  process.once('exit', onParentExit);
  child.once('exit', () => process.removeListener('exit', onParentExit));

  const output: string[] = [];
  const listening = new Promise<number>((resolve, reject) => {
    const onLine = (line: string) => {
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
      const match = /Listening on (\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.filter((l) => l.trim()).forEach(onLine);
      });
    }
    child.once('exit', (code, signal) =>
      reject(new Error(`the Agents Playground exited before listening (${signal ?? code}): ${output.join(' | ')}`)),
    );
    child.once('error', reject);
  });

  let stopped: Promise<void> | undefined;
  const stop = (timeoutMs = 5000): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killTimer = setTimeout(() => signal('SIGKILL'), timeoutMs);
      child.once('exit', () => {
        clearTimeout(killTimer);
        signal('SIGKILL'); // leftovers in the group, if any
        resolve();
      });
      signal('SIGTERM');
    });
    return stopped;
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // group gone already
    }
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const actual = await Promise.race([
      listening,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the Agents Playground did not listen within ${timeoutMs} ms: ${output.join(' | ')}`)),
          timeoutMs,
        );
      }),
    ]);
    if (actual !== port) throw new Error(`the Agents Playground took port ${actual} instead of ${port} (port busy?)`);
    await waitForHttp(`http://127.0.0.1:${port}/`, 10_000);
  } catch (err) {
    await stop(2000);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return { pid, port, url: `http://127.0.0.1:${port}`, serviceUrl, process: child, stop };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${url} did not answer: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Preload mode (inside the Playground child): servers without an explicit host bind to 127.0.0.1. */
function bindLoopbackOnly(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with the server as `this`
  const original = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    const [first, second] = args;
    if (
      (typeof first === 'number' || typeof first === 'string') &&
      /^\d+$/.test(String(first)) &&
      (second === undefined || typeof second === 'function')
    ) {
      args.splice(1, 0, '127.0.0.1');
    } else if (
      first &&
      typeof first === 'object' &&
      !('host' in first) &&
      !('path' in first) &&
      !('fd' in first) &&
      !('_handle' in first)
    ) {
      args[0] = { ...first, host: '127.0.0.1' };
    }
    return (original as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof net.Server.prototype.listen;
}

if (process.env[PRELOAD_FLAG] === '1' && require.main === undefined) {
  delete process.env[PRELOAD_FLAG];
  bindLoopbackOnly();
}
