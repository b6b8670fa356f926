import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '@pilotage/common';

export interface HeavyOperationLimits {
  /** Heavy operations one agency may have running at once. */
  readonly concurrency: number;
  /** Heavy operations one agency may start per minute. */
  readonly perMinute: number;
}

/** Gives the slot back once; called when the response is sent. */
export type HeavyOperationRelease = () => Promise<void>;

/**
 * Per-agency limits on heavy operations (previews, report generation, costly analytics), so that
 * one agency's burst cannot take the API's cores, Chromium pages and connections from the others.
 * Both are rate-limiter-flexible memory limiters keyed by agency id (one API process holds the
 * count; several processes each hold their own):
 * - in flight: a counter that never expires (duration 0), consumed when an operation starts and
 *   given back when its response is sent;
 * - per minute: a fixed window.
 */
export class HeavyOperationLimiter {
  private readonly inFlight: RateLimiterMemory;
  private readonly started: RateLimiterMemory;

  constructor(private readonly limits: HeavyOperationLimits) {
    this.inFlight = new RateLimiterMemory({ keyPrefix: 'heavy-in-flight', points: limits.concurrency, duration: 0 });
    this.started = new RateLimiterMemory({ keyPrefix: 'heavy-per-minute', points: limits.perMinute, duration: 60 });
  }

  /** Takes a slot for `agencyId`, or throws TOO_MANY_REQUESTS saying which limit and when to retry. */
  async acquire(agencyId: string): Promise<HeavyOperationRelease> {
    try {
      await this.inFlight.consume(agencyId);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      // A refused consume still counted itself: give it back, it never ran.
      await this.inFlight.reward(agencyId);
      throw new TooManyRequestsError(
        1,
        `Your agency already runs ${this.limits.concurrency} heavy operations (previews, report generation, large analytics); retry in 1 s`,
        { limit: 'HEAVY_OPERATIONS_CONCURRENCY', maximum: this.limits.concurrency },
      );
    }
    try {
      await this.started.consume(agencyId);
    } catch (refusal) {
      await this.inFlight.reward(agencyId);
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
    };
  }
}
