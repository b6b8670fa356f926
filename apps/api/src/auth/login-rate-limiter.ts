import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { TooManyRequestsError } from '@pilotage/common';

/**
 * Brute-force protection for login: failed attempts are counted per (e-mail, IP) and per IP;
 * past the limit the login is refused until the window passes, even with the right password.
 * In memory per API process: with N replicas an attacker gets N times the budget, which is
 * still far below what a password guess needs; move to RateLimiterPostgres if that matters.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly perAccount: RateLimiterMemory;
  private readonly perIp: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.perAccount = new RateLimiterMemory({ points: config.loginMaxAttempts, duration: config.loginWindowSeconds });
    this.perIp = new RateLimiterMemory({ points: config.loginMaxAttempts * 20, duration: config.loginWindowSeconds });
  }

  /** Throws TOO_MANY_REQUESTS when either budget is spent. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([this.perAccount.get(`${email}|${ip}`), this.perIp.get(ip)]);
    for (const state of [account, address]) {
      if (state && state.remainingPoints <= 0) throw new TooManyRequestsError(Math.ceil(state.msBeforeNext / 1000));
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([this.perAccount.penalty(`${email}|${ip}`, 1), this.perIp.penalty(ip, 1)]).catch((error: unknown) => {
      if (!(error instanceof RateLimiterRes)) throw error;
    });
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.perAccount.delete(`${email}|${ip}`);
  }
}
