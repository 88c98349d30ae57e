/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time per function,
 * inclusive time per function (each function counted once per sample), and self time per area
 * (our code, each npm package, node internals, GC, idle).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FrameTime {
  readonly frame: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  /** Time not idle (what the CPU actually spent in this process's main thread). */
  readonly busyMs: number;
  readonly byArea: FrameTime[];
  readonly topSelf: FrameTime[];
  readonly topInclusive: FrameTime[];
}

/** The newest .cpuprofile in dir written after `since` (epoch ms), if any. */
export function newestProfile(dir: string, since: number): string | undefined {
  let best: { path: string; at: number } | undefined;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (!name.endsWith('.cpuprofile')) continue;
    const path = join(dir, name);
    const at = statSync(path).mtimeMs;
    if (at >= since && (!best || at > best.at)) best = { path, at };
  }
  return best?.path;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const build = url.indexOf('/build/');
  if (build >= 0) return url.slice(build + 1);
  return url.replace(/^file:\/\//, '');
}

function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? 'node_modules');
  }
  if (url.includes('/build/src/') || url.includes('/dist/')) {
    const marker = url.includes('/build/src/') ? '/build/src/' : '/dist/';
    const parts = url.slice(url.indexOf(marker) + marker.length).split('/');
    return `ours: ${parts.length > 1 ? parts.slice(0, -1).join('/') : '(root)'}`;
  }
  return shortUrl(url);
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  return url ? `${name} ${shortUrl(url)}:${lineNumber + 1}` : name;
}

export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    total += ms;
    const area = areaOf(node);
    if (area === '(idle)') idle += ms;
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const frame = byId.get(cursor);
      if (!frame || frame.callFrame.functionName === '(root)') continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  });
  const busy = total - idle;
  const list = (map: Map<string, number>, n: number, skipIdle = true) =>
    [...map]
      .filter(([frame]) => !skipIdle || !frame.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([frame, ms]) => ({ frame, ms, percent: busy > 0 ? (100 * ms) / busy : 0 }));
  return { file, totalMs: total, busyMs: busy, byArea: list(areas, 25), topSelf: list(self, top), topInclusive: list(inclusive, top) };
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [
    `CPU profile ${summary.file}: ${Math.round(summary.totalMs)} ms sampled, ${Math.round(summary.busyMs)} ms busy (percentages are of busy time)`,
  ];
  const block = (title: string, rows: FrameTime[]) => {
    lines.push(title);
    for (const row of rows)
      lines.push(`  ${row.percent.toFixed(1).padStart(5)}%  ${Math.round(row.ms).toString().padStart(6)} ms  ${row.frame}`);
  };
  block('by area (self time):', summary.byArea);
  block('top functions by self time:', summary.topSelf);
  block('top functions by inclusive time:', summary.topInclusive);
  return lines.join('\n');
}

/** The newest profile the bot wrote since `since`, summarised and printed; undefined when none. */
export function reportProfile(dir: string, since: number, log: (line: string) => void, scenario: string): ProfileSummary | undefined {
  const file = newestProfile(dir, since);
  if (!file) {
    log(`${scenario}: no CPU profile was written`);
    return undefined;
  }
  const profile = summarizeProfile(file);
  log(formatProfile(profile));
  return profile;
}
