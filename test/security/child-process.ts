import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** A TypeScript entry point of the repository run as its own Node process, its output captured. */
export interface TypescriptProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Resolves with the first stdout line matching `pattern`; rejects on exit or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** SIGKILL (if still running), then waits for the exit. */
  kill(): Promise<void>;
}

export function spawnTypescript(entry: string, env: NodeJS.ProcessEnv): TypescriptProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', resolve(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`Could not start ${entry}`);
  const pid = child.pid;
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  return {
    child,
    pid,
    stdout: () => out,
    waitForLine: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = out.split('\n').find((candidate) => pattern.test(candidate));
        if (line !== undefined) return line;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${entry} exited before printing ${String(pattern)}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`${entry} did not print ${String(pattern)} within ${timeoutMs} ms:\n${out}\n${err}`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      }
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Processes whose parent is `parentPid` and whose executable looks like Chromium. */
export function chromiumChildrenOf(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (Number(afterName[1]) === parentPid && /chrom/i.test(command.split('\0')[0] ?? '')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Every descendant of `pid` (children, grandchildren…), read from /proc. */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone.
    }
  }
  const found: number[] = [];
  const visit = (current: number): void => {
    for (const child of parents.get(current) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}
