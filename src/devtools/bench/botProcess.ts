/**
 * The bot as the benchmark runs it: its own process (so start-up time and RSS are the bot's alone),
 * configured from the environment exactly like production (loadConfig), listening on 127.0.0.1.
 * Tells the parent its port over IPC; stops gracefully on SIGTERM, SIGINT, an IPC "stop" or when
 * the parent goes away (so a crashed benchmark leaves nothing behind). A graceful exit also lets
 * `--cpu-prof` write its profile.
 */
import { runServer } from '../../runServer';

async function main(): Promise<void> {
  // The production start (src/runServer.ts), plus the benchmark's IPC: the port, memory, stop.
  const { port, shutdown } = await runServer(process.env, { host: '127.0.0.1' });
  process.send?.({ type: 'listening', port });
  process.on('message', (message: unknown) => {
    const type = (message as { type?: unknown } | null)?.type;
    if (type === 'stop') shutdown('stop (benchmark)');
    // The benchmark asks what the heap holds when it reads the RSS.
    if (type === 'memory') process.send?.({ type: 'memory', usage: process.memoryUsage() });
  });
  process.on('disconnect', () => shutdown('benchmark gone'));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench bot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
