/** Command-line options of `npm run bench` (see usage()). */

export interface BenchOptions {
  readonly scenarios: {
    readonly flows: boolean;
    readonly throttle: boolean;
    readonly requests: boolean;
    readonly capacity: boolean;
    readonly soak: boolean;
  };
  /** Concurrency steps of the capacity scenario. */
  readonly capacitySteps: readonly number[];
  /** Length of the soak scenario in minutes, and its steady rate of flows started per second. */
  readonly soakMinutes: number;
  readonly soakFlowsPerSecond: number;
  /** Heap snapshots of the bot at the end of the soak's warm-up and near its end, and what grew between them. */
  readonly heapSnapshots: boolean;
  /** Small numbers for a smoke run (--quick). */
  readonly quick: boolean;
  readonly flows: number;
  readonly concurrency: number;
  readonly graphLatencyMs: number;
  /**
   * Over how long the first `concurrency` flows start (flow k of them after k/concurrency of it):
   * arrivals spread over one flow's duration, as people's clicks are, instead of all in the same
   * millisecond. 0 = all at once. Both bots get the same schedule.
   */
  readonly rampMs: number;
  /** Invitations per second the Graph sandbox accepts in the throttle scenario. */
  readonly throttlePerSecond: number;
  readonly approvals: number;
  readonly requests: number;
  readonly queries: number;
  readonly approvers: number;
  /** Untimed flows run against each bot before measuring (JIT, connection pools). */
  readonly warmup: number;
  /** Bot pacer (env INVITE_CONCURRENCY / INVITES_PER_SECOND); undefined = the scenario's choice. */
  readonly inviteConcurrency?: number;
  readonly invitesPerSecond?: number;
  readonly sweepSeconds: number;
  /** Rounds of the flow scenario (ours, then the baselines, on the same load); the floor gate is decided on them pooled. */
  readonly rounds: number;
  readonly echo: boolean;
  /** The floor bot beside the echo bot (tools/echoBot.ts): one durable write per invoke. */
  readonly floor: boolean;
  /** The floor bot's writes per invoke, each after the one before (default 1; 2 = our submit's shape). */
  readonly floorWrites: number;
  readonly profile: boolean;
  readonly logLevel: string;
  readonly timeoutSeconds: number;
  readonly outDir?: string;
  /** Extra node flags for the bot child, e.g. --node-arg=--max-semi-space-size=32 (repeatable). */
  readonly botNodeArgs: readonly string[];
  /** Seconds to wait for other processes to leave the CPUs before each scenario (0 = don't). */
  readonly quietWaitSeconds: number;
}

export function usage(): string {
  return [
    'npm run bench -- [options]',
    '  (no scenario option)      the flow scenario: request → submitRequest → approve → redeem link, plus an echo-bot baseline',
    '  --flows N                 complete flows (default 200)',
    '  --concurrency N           flows in progress at once (default 20)',
    '  --graph-latency MS        Graph sandbox answer delay (default 1500)',
    '  --ramp MS                 the first flows start spread over MS (default: one flow, Graph latency + 300; 0 = all at once)',
    '  --throttle N              throttle scenario: the sandbox accepts N invitations/s, 429 + Retry-After beyond',
    '  --approvals N             approvals in the throttle scenario (default 300)',
    '  --capacity                capacity scenario: concurrency 10, 20, 40, 80 (one bot, then two on one storage account)',
    '  --capacity-steps A,B,..   the concurrency steps of --capacity (default 10,20,40,80)',
    '  --soak [MINUTES]          soak scenario: steady flows for MINUTES (default 30), RSS every 10 s, slope after warm-up',
    '  --soak-rate N             flows started per second in the soak (default 2)',
    '  --heap-snapshots          with --soak: heap snapshots after the warm-up and near the end, and what grew (not a slope measurement)',
    '  --requests N              query scenario: N stored requests, then "pending" and "my requests" over HTTP',
    '  --queries N               commands of each kind in the query scenario (default 200)',
    '  --approvers N             approvers in APPROVER_IDS (default 3)',
    '  --warmup N                untimed flows against each bot before measuring (default: the concurrency)',
    '  --invite-concurrency N    bot env INVITE_CONCURRENCY (default: flows/capacity/soak = 200, the pacer opened; throttle = 10)',
    '  --invites-per-second N    bot env INVITES_PER_SECOND (default: flows/capacity/soak = 1000, the pacer opened; throttle = the throttle rate)',
    '  --sweep-seconds N         bot env SWEEP_INTERVAL_SECONDS (default 60, the production default)',
    '  --rounds N                rounds of the flow scenario, the floor gate decided on them pooled (default 3; --quick 1)',
    '  --no-echo                 skip the baselines (the echo bot and the floor bot)',
    '  --no-floor                skip the floor bot (the echo bot with one durable write per invoke)',
    "  --floor-writes N          the floor bot's writes per invoke, one after another (default 1; 2 = our submit's two round trips)",
    '  --profile                 run the bot under node --cpu-prof and print its top frames',
    '  --log-level L             bot LOG_LEVEL (default info, as in production)',
    '  --quick                   small numbers for a smoke run',
    '  --timeout S               hard limit for the whole run (default 900)',
    '  --out DIR                 where the JSON reports go (default build/bench)',
    '  --quiet-wait S            wait up to S seconds for the machine to be idle before each scenario (default 120, 0 = off)',
    '  --node-arg=FLAG           extra node flag for the bot process (repeatable), e.g. --node-arg=--max-semi-space-size=32',
  ].join('\n');
}

const KNOWN = new Set([
  'quick',
  'no-echo',
  'no-floor',
  'floor-writes',
  'rounds',
  'profile',
  'flows',
  'concurrency',
  'graph-latency',
  'ramp',
  'throttle',
  'approvals',
  'requests',
  'queries',
  'approvers',
  'warmup',
  'invite-concurrency',
  'invites-per-second',
  'sweep-seconds',
  'log-level',
  'timeout',
  'out',
  'quiet-wait',
  'capacity',
  'capacity-steps',
  'soak',
  'soak-rate',
  'heap-snapshots',
]);

/** The soak's length when --soak is given without a number. */
export const DEFAULT_SOAK_MINUTES = 30;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const given = new Map<string, string | true>();
  const botNodeArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${usage()}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    if (name === 'node-arg') {
      const value = inline ?? argv[++i];
      if (!value) throw new Error(`--node-arg needs a value\n${usage()}`);
      botNodeArgs.push(value);
      continue;
    }
    if (!KNOWN.has(name) && name !== 'help') throw new Error(`unknown option --${name}\n${usage()}`);
    if (['quick', 'no-echo', 'no-floor', 'profile', 'help', 'capacity', 'heap-snapshots'].includes(name)) {
      given.set(name, true);
      continue;
    }
    // --soak takes an optional number of minutes.
    if (name === 'soak' && inline === undefined && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))) {
      given.set(name, String(DEFAULT_SOAK_MINUTES));
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value\n${usage()}`);
    given.set(name, value);
  }
  if (given.has('help')) throw new Error(usage());

  const quick = given.has('quick');
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = given.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${String(raw)}")`);
    return n;
  };
  const optionalInt = (name: string, min: number, max: number): number | undefined =>
    given.has(name) ? int(name, 0, min, max) : undefined;

  const throttle = given.has('throttle');
  const requests = given.has('requests');
  const capacity = given.has('capacity');
  const soak = given.has('soak');
  const flows = given.has('flows') || (!throttle && !requests && !capacity && !soak);
  const stepsRaw = String(given.get('capacity-steps') ?? '10,20,40,80');
  const capacitySteps = stepsRaw.split(',').map((v) => Number(v.trim()));
  if (capacitySteps.length === 0 || capacitySteps.some((n) => !Number.isInteger(n) || n < 1 || n > 500))
    throw new Error(`--capacity-steps must be whole numbers from 1 to 500, comma-separated (got "${stepsRaw}")`);
  const logLevel = String(given.get('log-level') ?? 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    throw new Error(`--log-level must be a pino level (got "${logLevel}")`);
  const out = given.get('out');
  const rounds = int('rounds', quick ? 1 : 3, 1, 20);

  return {
    scenarios: { flows, throttle, requests, capacity, soak },
    quick,
    capacitySteps,
    soakMinutes: int('soak', DEFAULT_SOAK_MINUTES, 1, 24 * 60),
    soakFlowsPerSecond: int('soak-rate', 2, 1, 100),
    heapSnapshots: given.has('heap-snapshots'),
    flows: int('flows', quick ? 20 : 200, 1, 100_000),
    concurrency: int('concurrency', quick ? 5 : 20, 1, 500),
    graphLatencyMs: int('graph-latency', quick ? 200 : 1500, 0, 60_000),
    rampMs: int('ramp', int('graph-latency', quick ? 200 : 1500, 0, 60_000) + 300, 0, 600_000),
    throttlePerSecond: int('throttle', 5, 1, 1000),
    approvals: int('approvals', quick ? 30 : 300, 1, 100_000),
    requests: int('requests', quick ? 500 : 10_000, 1, 1_000_000),
    queries: int('queries', quick ? 20 : 200, 1, 100_000),
    approvers: int('approvers', 3, 1, 50),
    warmup: int('warmup', quick ? 5 : 20, 0, 10_000),
    inviteConcurrency: optionalInt('invite-concurrency', 1, 200),
    invitesPerSecond: optionalInt('invites-per-second', 1, 1000),
    sweepSeconds: int('sweep-seconds', 60, 5, 86_400),
    rounds,
    echo: !given.has('no-echo'),
    floor: !given.has('no-floor'),
    floorWrites: int('floor-writes', 1, 1, 5),
    profile: given.has('profile'),
    logLevel,
    // A soak needs its own length on top of the usual limit.
    timeoutSeconds: int(
      'timeout',
      900 + (flows ? 300 * (rounds - 1) : 0) + (soak ? int('soak', DEFAULT_SOAK_MINUTES, 1, 24 * 60) * 60 : 0),
      10,
      48 * 3600,
    ),
    outDir: typeof out === 'string' ? out : undefined,
    botNodeArgs,
    quietWaitSeconds: int('quiet-wait', quick ? 0 : 120, 0, 3600),
  };
}
