import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '..', '..');
const COMPILED_WORKER = resolve(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');

export interface RunningWorker {
  /** The worker's Node process (its Chromium is a child of it). */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * The compiled worker in its own process, as production runs it (`node dist/apps/worker/src/main.js`):
 * ready once it logs "Pilotage worker ready" (LOG_LEVEL must let info through). Its warnings and
 * errors go to stderr, the rest of its log is dropped. Killed with the benchmark if it exits first.
 */
export async function startCompiledWorker(env: Record<string, string>): Promise<RunningWorker> {
  if (!existsSync(COMPILED_WORKER)) throw new Error(`${COMPILED_WORKER} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [COMPILED_WORKER], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', process.stderr] });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let exited = false;
  const exit = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      exited = true;
      resolveExit();
    });
  });
  const ready = new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error('the compiled worker did not log "Pilotage worker ready" within 90 s')), 90_000);
    void exit.then(() => reject(new Error(`the compiled worker exited during its start (code ${child.exitCode})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"msg":"Pilotage worker ready"')) {
        clearTimeout(timer);
        resolveReady();
      }
      // pino levels: 40 warn, 50 error, 60 fatal.
      if (/"level":(4|5|6)0\b/.test(line)) process.stderr.write(`[worker] ${line}\n`);
    });
  });
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    await exit;
    clearTimeout(timer);
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error('the compiled worker has no pid');
  return { pid: child.pid, stop };
}
