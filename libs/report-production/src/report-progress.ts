import { Presets, SingleBar } from 'cli-progress';
import { LocalReportStorage } from '@pilotage/reporting';
import type { ReportsProgress } from './report-jobs.service';

/**
 * Shows reports rendering on a terminal progress bar until none is pending (rendered, or
 * failed after their last retry), polling `probe` — the same counts as `reportBatch`.
 */
export async function followReportProgress(
  label: string,
  probe: () => Promise<ReportsProgress>,
  options: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<ReportsProgress> {
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let progress = await probe();
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} rendered, {failed} failed`,
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stdout,
      // Without a terminal (CI logs, a pipe), a plain line every second instead of nothing.
      noTTYOutput: true,
      notTTYSchedule: 1000,
    },
    Presets.shades_classic,
  );
  bar.start(progress.total, progress.done, { failed: progress.failed });
  try {
    while (progress.pending > 0) {
      if (Date.now() > deadline)
        throw new Error(`Reports still pending after ${Math.round((options.timeoutMs ?? 15 * 60_000) / 1000)} s: is a worker running?`);
      await new Promise((resolveWait) => setTimeout(resolveWait, intervalMs));
      progress = await probe();
      bar.update(progress.done, { failed: progress.failed });
    }
  } finally {
    bar.stop();
  }
  return progress;
}

/** Where the local storage under STORAGE_DIR keeps a report's PDF. */
export function storedPdfPath(storageDir: string, storageKey: string): string {
  return new LocalReportStorage(storageDir).pathOf(storageKey);
}
