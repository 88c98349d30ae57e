/**
 * `npm run decide -- GR-XXXXXXXXXX [--deny "reason"] [--as ben]`: approve or deny a request in the
 * running local sandbox as one of its approvers, as if they had clicked the button on their card
 * (the Agents Playground only shows its current user, Rita, so it cannot click for Anna or Ben).
 */
import { DEV } from '../devSettings';
import { mockCardAction } from '../playground';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const requestId = args.find((a) => /^GR-[0-9A-Z]{10}$/.test(a));
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const who = (option('--as') ?? 'anna').toLowerCase();
  const approver = DEV.approvers.find((a) => a.key === who);
  const reason = option('--deny');
  if (!requestId || !approver || (args.includes('--deny') && !reason)) {
    process.stderr.write('usage: npm run decide -- GR-XXXXXXXXXX [--deny "reason"] [--as anna|ben]\n');
    process.exit(2);
  }
  const port = DEV.playgroundPort;
  const playground = { url: `http://127.0.0.1:${port}`, serviceUrl: `http://127.0.0.1:${port}/_connector` };
  const data = reason ? { requestId, reason } : { requestId };
  const status = await mockCardAction(playground, { ...approver, tenantId: DEV.tenantId }, reason ? 'deny' : 'approve', data).catch(() => 0);
  if (status !== 200) {
    process.stderr.write(`decide: the Agents Playground at ${playground.url} did not take it (${status || 'not reachable'}): is \`npm run dev\` running?\n`);
    process.exit(1);
  }
  process.stdout.write(`${approver.name} ${reason ? 'denied' : 'approved'} ${requestId}: watch Rita's chat in the Playground.\n`);
}

void main();
