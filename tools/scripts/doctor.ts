/**
 * `npm run doctor`: reads the configuration the way `npm start` does (environment, then .env) and
 * checks it and what it depends on, one line per check. Exit 1 if any check fails.
 */
import { loadOptionalEnvFile } from '../../src/config/envFile';
import { formatResult, runDoctor } from '../../src/startup/selfCheck';

async function main(): Promise<void> {
  loadOptionalEnvFile();
  const report = await runDoctor(process.env);
  for (const result of report.results) process.stdout.write(`${formatResult(result)}\n`);
  process.stdout.write(report.ok ? 'all checks passed\n' : 'some checks failed\n');
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`doctor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
