/**
 * `npm run decide -- GR-XXXXXXXXXX [--deny "reason"] [--as ben]`: approve or deny a request in the
 * running local sandbox as one of its approvers, for scripts (people click in their own Playground,
 * see README). Sends the card action the approver's Playground would send straight to the bot, with
 * the router's serviceUrl and the approver's own chat (so anything the bot sends back shows up in
 * their Playground), and prints what the bot answered: its refusal when it refused (exit code 1),
 * never a success it did not report.
 *
 * Runs the already-built JavaScript (the npm script compiles only when build/ has no decide.js).
 * Tests point it elsewhere with DECIDE_BOT_URL, DECIDE_SERVICE_URL and DECIDE_TENANT_ID.
 */
import { DEV } from '../devSettings';
import { cardActionActivity, postActivity } from '../teamsActivities';

interface CardElement {
  type?: string;
  text?: string;
  color?: string;
  facts?: { title?: string; value?: string }[];
}

/** Card text as a terminal shows it: the bot escapes markdown and HTML for Teams (src/cards/plainText.ts). */
export function asTerminalText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!|~])/g, '$1')
    .replace(/\u2060/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The texts of the bot's answer card: its status line and, when it refused, why (the Attention line after it). */
export function readAnswer(body: unknown): { status?: string; feedback?: string; message?: string } {
  const answer = body as { type?: string; value?: unknown } | undefined;
  if (typeof answer?.value === 'string') return { message: asTerminalText(answer.value) };
  const card = answer?.value as { body?: CardElement[] } | undefined;
  const texts = (card?.body ?? []).filter((e) => e.type === 'TextBlock');
  // approval.json: title, status, …, and the feedback for the person who clicked in Attention.
  const status = asTerminalText(texts[1]?.text);
  const feedback = asTerminalText(texts.slice(2).find((e) => e.color === 'Attention')?.text);
  return { status, feedback };
}

async function main(): Promise<number> {
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
    return 2;
  }
  const botUrl = process.env.DECIDE_BOT_URL ?? `http://127.0.0.1:${process.env.PORT ?? DEV.botPort}`;
  const serviceUrl = process.env.DECIDE_SERVICE_URL ?? `http://127.0.0.1:${DEV.connectorRouterPort}/_connector`;
  const tenantId = process.env.DECIDE_TENANT_ID ?? DEV.tenantId;
  const verb = reason ? 'deny' : 'approve';
  const activity = cardActionActivity({ ...approver, tenantId }, serviceUrl, verb, reason ? { requestId, reason } : { requestId });

  let answer;
  try {
    answer = await postActivity(botUrl, activity, { timeoutMs: 10_000 });
  } catch (err) {
    process.stderr.write(
      `decide: the bot at ${botUrl} did not answer (${err instanceof Error ? err.message : String(err)}): is \`npm run dev\` running?\n`,
    );
    return 1;
  }
  if (answer.status !== 200) {
    process.stderr.write(
      `decide: the bot answered HTTP ${answer.status}: ${typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)}\n`,
    );
    return 1;
  }
  const { status, feedback, message } = readAnswer(answer.body);
  if (message !== undefined) {
    // A plain message is the bot's no (unknown request, not an approver, bad id).
    process.stdout.write(`${approver.name} could not ${verb} ${requestId}. The bot answered: ${message}\n`);
    return 1;
  }
  if (feedback !== undefined) {
    process.stdout.write(`${approver.name} could not ${verb} ${requestId}. The bot answered: ${feedback}${status ? ` (${status})` : ''}\n`);
    return 1;
  }
  process.stdout.write(
    `${approver.name} ${reason ? 'denied' : 'approved'} ${requestId}. The bot answered: ${status ?? '(no status on its card)'}\n`,
  );
  return 0;
}

if (require.main === module) {
  const started = Date.now();
  void main().then((code) => {
    if (process.env.DECIDE_TIMING === '1') process.stderr.write(`decide: ${Date.now() - started} ms\n`);
    process.exitCode = code;
  });
}
