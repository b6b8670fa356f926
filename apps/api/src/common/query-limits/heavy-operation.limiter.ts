import { setTimeout as delay } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '@pilotage/common';

export interface HeavyOperationLimits {
  /** Heavy operations one agency may have running at once. */
  readonly concurrency: number;
  /** Heavy operations the process may have running at once, all agencies together. */
  readonly processConcurrency: number;
  /**
   * How long an operation waits for a process-wide slot before it is refused (0: refused at
   * once). Waiting costs the event loop nothing, and the per-agency limit bounds how many wait.
   */
  readonly processWaitMs: number;
  /** Heavy operations one agency may start per minute. */
  readonly perMinute: number;
}

/** Gives the slot back once; called when the response is sent. */
export type HeavyOperationRelease = () => Promise<void>;

/** How often a waiting operation looks for a free process-wide slot. */
const PROCESS_SLOT_POLL_MS = 10;

/** The key of the process-wide count (agency ids are uuids: no agency can take it). */
const PROCESS_KEY = 'process';

/**
 * Limits on heavy operations (previews, report generation, costly analytics), so that a burst
 * cannot take the API's event loop, Chromium pages and connections from the others. All are
 * rate-limiter-flexible memory limiters (one API process holds the counts; several processes
 * each hold their own):
 * - in flight per agency, and in flight in the whole process: counters that never expire
 *   (duration 0), consumed when an operation starts and given back when its response is sent.
 *   The process-wide one is what keeps /health under 100 ms while agencies (free to register)
 *   attack together: each heavy operation in flight adds its slices to every turn of the loop;
 * - started per agency per minute: a fixed window.
 */
export class HeavyOperationLimiter {
  private readonly inFlight: RateLimiterMemory;
  private readonly inProcess: RateLimiterMemory;
  private readonly started: RateLimiterMemory;

  constructor(private readonly limits: HeavyOperationLimits) {
    this.inFlight = new RateLimiterMemory({ keyPrefix: 'heavy-in-flight', points: limits.concurrency, duration: 0 });
    this.inProcess = new RateLimiterMemory({ keyPrefix: 'heavy-in-process', points: limits.processConcurrency, duration: 0 });
    this.started = new RateLimiterMemory({ keyPrefix: 'heavy-per-minute', points: limits.perMinute, duration: 60 });
  }

  /** Takes a slot for `agencyId`, or throws TOO_MANY_REQUESTS saying which limit and when to retry. */
  async acquire(agencyId: string): Promise<HeavyOperationRelease> {
    if (!(await this.take(this.inFlight, agencyId))) {
      throw new TooManyRequestsError(
        1,
        `Your agency already runs ${this.limits.concurrency} heavy operations (previews, report generation, large analytics); retry in 1 s`,
        { limit: 'HEAVY_OPERATIONS_CONCURRENCY', maximum: this.limits.concurrency },
      );
    }
    if (!(await this.takeProcessSlot())) {
      await this.inFlight.reward(agencyId);
      throw new TooManyRequestsError(
        1,
        `The server already runs ${this.limits.processConcurrency} heavy operations (previews, report generation, large analytics); retry in 1 s`,
        { limit: 'HEAVY_OPERATIONS_PROCESS_CONCURRENCY', maximum: this.limits.processConcurrency },
      );
    }
    try {
      await this.started.consume(agencyId);
    } catch (refusal) {
      await this.inFlight.reward(agencyId);
      await this.inProcess.reward(PROCESS_KEY);
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw new TooManyRequestsError(
        retryAfterSeconds,
        `Your agency started ${this.limits.perMinute} heavy operations this minute; retry in ${retryAfterSeconds} s`,
        { limit: 'HEAVY_OPERATIONS_PER_MINUTE', maximum: this.limits.perMinute },
      );
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.inFlight.reward(agencyId);
      await this.inProcess.reward(PROCESS_KEY);
    };
  }

  /**
   * A process-wide slot, waiting up to `processWaitMs` for one: with one heavy operation at a
   * time (what keeps /health under 100 ms under bench:abuse), two agencies previewing at the same
   * instant, or a double-click on "generate the month's reports", wait a fraction of a second
   * instead of being refused. The count stays rate-limiter-flexible's; the wait polls it every
   * PROCESS_SLOT_POLL_MS (not first come, first served: waiters are few, bounded per agency).
   */
  private async takeProcessSlot(): Promise<boolean> {
    const deadline = Date.now() + this.limits.processWaitMs;
    for (;;) {
      if (await this.take(this.inProcess, PROCESS_KEY)) return true;
      if (Date.now() >= deadline) return false;
      await delay(PROCESS_SLOT_POLL_MS);
    }
  }

  /** Consumes a point of `limiter` for `key`; false (and nothing consumed) when none is left. */
  private async take(limiter: RateLimiterMemory, key: string): Promise<boolean> {
    try {
      await limiter.consume(key);
      return true;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      // A refused consume still counted itself: give it back, it never ran.
      await limiter.reward(key);
      return false;
    }
  }
}
