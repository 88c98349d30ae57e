/**
 * The bot as the benchmark runs it: its own process (so start-up time and RSS are the bot's alone),
 * configured from the environment exactly like production (loadConfig), listening on 127.0.0.1.
 * Tells the parent its port over IPC; stops gracefully on SIGTERM, SIGINT, an IPC "stop" or when
 * the parent goes away (so a crashed benchmark leaves nothing behind). A graceful exit also lets
 * `--cpu-prof` write its profile.
 */
import { createApp, type App } from '../../app';
import { loadConfig } from '../../config/loadConfig';

async function main(): Promise<void> {
  const result = loadConfig(process.env);
  if (!result.ok) {
    for (const problem of result.problems) process.stderr.write(`config: ${problem}\n`);
    process.exit(2);
  }
  const app: App = await createApp(result.config);
  const port = await app.listen(result.config.port, '127.0.0.1');
  process.send?.({ type: 'listening', port });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(code), 10_000);
    timer.unref();
    try {
      await app.stop(5000);
    } finally {
      process.exit(code);
    }
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('message', (message: unknown) => {
    const type = (message as { type?: unknown } | null)?.type;
    if (type === 'stop') void stop(0);
    // The benchmark asks what the heap holds when it reads the RSS.
    if (type === 'memory') process.send?.({ type: 'memory', usage: process.memoryUsage() });
  });
  process.on('disconnect', () => void stop(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench bot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
