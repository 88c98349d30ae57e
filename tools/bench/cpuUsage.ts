/**
 * CPU time used by processes over a phase, from /proc/<pid>/stat (utime + stime, in clock ticks)
 * and process.cpuUsage() for this process. On a 2-core machine this says whether latency is the
 * code's own or a queue for the CPU.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after the last ")" are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine (all CPUs), from the first line of /proc/stat. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/);
    const n = values.map(Number);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const total = n.slice(0, 8).reduce((sum, v) => sum + v, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** How many CPU cores the whole machine keeps busy over `ms` (everyone's processes). */
export async function machineBusyCores(ms: number): Promise<number | undefined> {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return busyCores(before, machineTicks());
}

/** Cores the machine kept busy between two readings of its tick counters. */
function busyCores(before: ReturnType<typeof machineTicks>, after: ReturnType<typeof machineTicks>): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return ((after.busy - before.busy) / (after.total - before.total)) * cpus().length;
}

export interface CpuShare {
  /** CPU milliseconds used during the phase. */
  readonly cpuMs: number;
  /** cpuMs / wall ms: 1.0 = one core busy all the time. */
  readonly cores: number;
}

export class CpuMeter {
  private readonly start = new Map<string, number>();
  private readonly startedAt = performance.now();
  private readonly selfStart = process.cpuUsage();
  private readonly machineStart = machineTicks();

  constructor(private readonly pids: Record<string, number | undefined>) {
    for (const [name, pid] of Object.entries(pids)) {
      const ms = pid === undefined ? undefined : cpuMsOf(pid);
      if (ms !== undefined) this.start.set(name, ms);
    }
  }

  /** CPU used since construction, per named process plus "bench" (this process). */
  read(): Record<string, CpuShare> {
    const wall = performance.now() - this.startedAt;
    const out: Record<string, CpuShare> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const before = this.start.get(name);
      const now = pid === undefined ? undefined : cpuMsOf(pid);
      if (before !== undefined && now !== undefined) out[name] = { cpuMs: now - before, cores: (now - before) / wall };
    }
    const self = process.cpuUsage(this.selfStart);
    const selfMs = (self.user + self.system) / 1000;
    out.bench = { cpuMs: selfMs, cores: selfMs / wall };
    const total = Object.values(out).reduce((sum, share) => sum + share.cpuMs, 0);
    out.total = { cpuMs: total, cores: total / wall };
    // Everything else on the machine (other people's tests, say) competes for the same cores.
    const cores = busyCores(this.machineStart, machineTicks());
    if (cores !== undefined) {
      out.machine = { cpuMs: cores * wall, cores };
      out.others = { cpuMs: Math.max(0, cores * wall - total), cores: Math.max(0, cores - total / wall) };
    }
    return out;
  }
}

/**
 * Waits (at most maxWaitMs) until the machine is nearly idle before a measurement, because other
 * work on a 2-core machine (someone's test run) would be measured as our latency. Returns the last
 * busy figure seen, whether or not the machine became quiet.
 */
export async function waitForQuietMachine(
  maxWaitMs: number,
  thresholdCores: number,
  log: (line: string) => void,
): Promise<number | undefined> {
  const end = performance.now() + maxWaitMs;
  let busy = await machineBusyCores(1000);
  let told = false;
  while (busy !== undefined && busy > thresholdCores && performance.now() < end) {
    if (!told) {
      log(
        `bench: the machine is busy (${busy.toFixed(2)} cores in use by other processes); waiting up to ${Math.round(maxWaitMs / 1000)} s for it to calm down`,
      );
      told = true;
    }
    busy = await machineBusyCores(2000);
  }
  if (told)
    log(
      `bench: machine busy ${busy?.toFixed(2)} cores; starting${busy !== undefined && busy > thresholdCores ? ' anyway (figures will be pessimistic)' : ''}`,
    );
  return busy;
}
