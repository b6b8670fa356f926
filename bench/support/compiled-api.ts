import { randomBytes, randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const COMPILED_API = resolve(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningApi {
  readonly url: string;
  /** The API's Node process, to read its memory from /proc. */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * The compiled API in a child process, as production runs it (`node dist/apps/api/src/main.js`),
 * on a free loopback port, with `nodeArgs` before the script (a probe, a profiler). Its logs go to stderr: stdout carries only the benchmark's JSON line.
 * Killed with the benchmark if it exits first.
 */
export async function startCompiledApi(env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<RunningApi> {
  if (!existsSync(COMPILED_API)) throw new Error(`${COMPILED_API} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, COMPILED_API], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', process.stderr, process.stderr],
  });
  let exited = false;
  const exit = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      exited = true;
      resolveExit();
    });
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`the compiled API exited during its start (code ${child.exitCode})`);
    const healthy = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy && child.pid !== undefined) return { url, pid: child.pid, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the compiled API did not answer /health within 90 s');
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
}

/**
 * The production environment a bench's compiled API runs with: the app role's URL, migrations
 * already applied by the bench, fresh secrets, quiet logs; `extra` adds or overrides variables.
 */
export function benchApiEnv(appUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: appUrl,
    DATABASE_POOL_SIZE: '10',
    MIGRATIONS_RUN: 'false',
    JWT_SECRET: randomUUID() + randomUUID(),
    DOWNLOAD_URL_SECRET: randomUUID() + randomUUID(),
    CONNECTOR_TOKEN_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    ...extra,
  };
}
