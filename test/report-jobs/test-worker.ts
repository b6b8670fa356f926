import { readdirSync, readFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Pool } from 'pg';
import type { AppConfig } from '@pilotage/config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { testDatabase } from '../support/test-database';
import { trackUntilClosed } from '../support/test-resources';

/**
 * The real worker (WorkerModule: pg-boss as the queue role, the handlers, its own
 * Chromium), in the test process next to the API, polling every half second unless told. No schedule unless
 * asked: the hourly cron is not what most tests are about.
 */
export interface TestWorker {
  readonly app: INestApplicationContext;
  /** Idempotent: the suite's afterAll and the e2e teardown may both call it. */
  close(): Promise<void>;
}

export async function startTestWorker(
  config: AppConfig,
  options: { readonly schedule?: boolean; readonly pollingIntervalSeconds?: number } = {},
): Promise<TestWorker> {
  const database = testDatabase();
  const booting = NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, {
      databaseUrl: database.appUrl,
      queueUrl: database.queueUrl,
      schedule: options.schedule ?? false,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5,
    }),
    { logger: false },
  ).then(async (created) => {
    await created.init();
    return created;
  });
  // Tracked before it is awaited: a boot slower than its hook's timeout is still closed.
  const close = trackUntilClosed(booting, (started) => started.close());
  return { app: await booting, close };
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null>,
  { timeoutMs = 45_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The Chromium processes this test process launched (Puppeteer's browser is a direct child). */
export function chromiumChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, …
      const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (Number(afterName[1]) === process.pid && /chrom/i.test(command.split('\0')[0] ?? '')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Reports of an agency as the owner sees them (outside row-level security), for assertions. */
export async function reportRows(
  owner: Pool,
  agencyId: string,
): Promise<{ id: string; client_id: string; status: string; version: number; attempts: number; storage_key: string | null; batch_id: string | null }[]> {
  const { rows } = await owner.query(
    `SELECT id, client_id, status, version, attempts, storage_key, batch_id FROM reports WHERE agency_id = $1 ORDER BY client_id, version`,
    [agencyId],
  );
  return rows;
}
