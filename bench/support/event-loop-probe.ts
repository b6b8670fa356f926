import { existsSync, readFileSync, rmSync } from 'node:fs';

/** What a process's event loop went through between two reads of the probe. */
export interface EventLoopDelay {
  /** How late a 10 ms timer fired (perf_hooks' monitorEventLoopDelay), wall-clock milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The longest gaps between two ticks of a 5 ms timer, beyond its 5 ms, longest first (wall clock). */
  readonly longestSlicesMs: readonly number[];
  /**
   * CPU time the main thread spent between two ticks of that 5 ms timer (`process.threadCpuUsage`,
   * Node ≥ 23.9; null before): the work that held the loop, without the time the process waited
   * for a core. On a machine shared with other busy processes, the wall-clock figures above grow
   * with the machine's load; these do not.
   */
  readonly cpuBetweenTicks: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number; readonly longestMs: readonly number[] } | null;
}

/**
 * The probe, preloaded into the measured process with `--import` (a data: URL, so nothing is
 * written next to the compiled code): perf_hooks' event-loop delay histogram, the longest
 * blocking slices, and the main thread's CPU time between timer ticks, written as JSON to `file`
 * and reset on each SIGWINCH (ignored by default, so a process without the probe is not stopped
 * by it; Nest's shutdown hooks take SIGUSR2). The timers are unref'd: the probe never keeps the
 * process alive.
 */
function probeSource(file: string): string {
  return `
    import { monitorEventLoopDelay } from 'node:perf_hooks';
    import { writeFileSync } from 'node:fs';
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const threadCpu = typeof process.threadCpuUsage === 'function' ? () => { const u = process.threadCpuUsage(); return (u.user + u.system) / 1000; } : null;
    let slices = [];
    let cpu = [];
    let last = performance.now();
    let lastCpu = threadCpu ? threadCpu() : 0;
    setInterval(() => {
      const now = performance.now();
      const late = now - last - 5;
      last = now;
      if (late > 10) slices.push(late);
      if (threadCpu) {
        const nowCpu = threadCpu();
        cpu.push(nowCpu - lastCpu);
        lastCpu = nowCpu;
      }
    }, 5).unref();
    process.on('SIGWINCH', () => {
      // The histogram records each 10 ms tick's whole interval: the delay is what exceeds it.
      const ms = (ns) => Number(Math.max(0, ns / 1e6 - 10).toFixed(1));
      const round = (value) => Number(value.toFixed(1));
      const longest = slices.sort((a, b) => b - a).slice(0, 10).map(round);
      const sorted = cpu.sort((a, b) => a - b);
      const at = (p) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
      const cpuBetweenTicks = threadCpu
        ? { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: round(sorted[sorted.length - 1] ?? 0), longestMs: sorted.slice(-10).reverse().map(round) }
        : null;
      writeFileSync(${JSON.stringify(file)}, JSON.stringify({ p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max), longestSlicesMs: longest, cpuBetweenTicks }));
      histogram.reset();
      slices = [];
      cpu = [];
    });`;
}

/** Node arguments that preload the probe writing to `file`. */
export function eventLoopProbeArgs(file: string): string[] {
  return ['--import', `data:text/javascript,${encodeURIComponent(probeSource(file))}`];
}

/** Asks the probed process `pid` for its figures since the last read (and resets them). */
export async function readEventLoopDelay(pid: number, file: string): Promise<EventLoopDelay> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGWINCH');
  const deadline = Date.now() + 10_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the event-loop probe of process ${pid} did not answer within 10 s`);
    await new Promise((wait) => setTimeout(wait, 20));
  }
  // The probe writes the file in one call: a short wait covers a look between its creation and that write.
  await new Promise((wait) => setTimeout(wait, 20));
  return JSON.parse(readFileSync(file, 'utf8')) as EventLoopDelay;
}
