import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ApiProcessOptions {
  /** Environment of the API process: the demo's own, plus what it decided (database URLs, secrets, port). */
  readonly env: NodeJS.ProcessEnv;
  readonly port: number;
  /** How long the API may take to answer /health (it compiles TypeScript when run through ts-node). */
  readonly readyTimeoutMs?: number;
}

export interface ApiExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ApiProcess {
  /** Where the demo reaches the API (loopback, whatever PUBLIC_URL says). */
  readonly baseUrl: string;
  readonly pid: number | undefined;
  /** Settles when the process has exited, for whatever reason. */
  readonly exited: Promise<ApiExit>;
  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ApiExit>;
}

/**
 * How to start the real API (apps/api/src/main.ts) next to this file: the compiled sibling
 * when the demo itself runs from dist/, else the TypeScript through ts-node, exactly as
 * `npm run start:api` does. The demo never imports the API: it talks to it over HTTP.
 */
export function apiCommand(): { command: string; args: string[] } {
  if (__filename.endsWith('.js')) {
    const compiled = resolve(__dirname, '../../api/src/main.js');
    if (!existsSync(compiled)) throw new Error(`The compiled API is missing (${compiled}): run npm run build`);
    return { command: process.execPath, args: ['--enable-source-maps', compiled] };
  }
  return {
    command: process.execPath,
    args: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', resolve(__dirname, '../../api/src/main.ts')],
  };
}

/** Starts the API as a child process and resolves once its /health answers 200. */
export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const { command, args } = apiCommand();
  // Its own process group: a Ctrl+C in the terminal reaches the demo only, which stops the
  // worker first and then the API, once (a second SIGINT would kill Nest mid-shutdown).
  const child: ChildProcess = spawn(command, args, { cwd: process.cwd(), env: options.env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const exited = new Promise<ApiExit>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
    child.once('error', () => resolveExit({ code: child.exitCode ?? 1, signal: null }));
  });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const api: ApiProcess = {
    baseUrl,
    pid: child.pid,
    exited,
    stop: async (signal = 'SIGTERM', graceMs = 15_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      }
      return exited;
    },
  };
  // Whatever ends the demo (an uncaught error included), the API does not outlive it.
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  const early: { exit: ApiExit | null } = { exit: null };
  void exited.then((exit) => (early.exit = exit));
  for (;;) {
    if (early.exit !== null) throw new ApiExitedError(early.exit);
    if (await healthy(baseUrl)) return api;
    if (Date.now() > deadline) {
      await api.stop('SIGKILL');
      throw new Error(`The API did not answer ${baseUrl}/health within ${Math.round((options.readyTimeoutMs ?? 120_000) / 1000)} s`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}

export class ApiExitedError extends Error {
  constructor(readonly exit: ApiExit) {
    super(`The API process exited ${exit.signal ? `on ${exit.signal}` : `with code ${exit.code ?? 'unknown'}`} (its own log above says why)`);
    this.name = 'ApiExitedError';
  }
}

async function healthy(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
