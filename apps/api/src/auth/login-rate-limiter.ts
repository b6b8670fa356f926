import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { TooManyRequestsError } from '@pilotage/common';

/** Password-reset and verification e-mails per address and window: enough for a lost mail, not a mail bomb. */
const MAIL_REQUESTS_PER_WINDOW = 3;

/**
 * Brute-force protection for login, consume-before-verify: every attempt spends a point of
 * the account's budget (per e-mail, whatever the address) and of the client address's budget
 * BEFORE the password is checked, atomically, so N concurrent attempts get at most the budget
 * of checks and a locked account refuses even the right password. A success gives the
 * account its budget back. The client address is `req.ip`, which honours X-Forwarded-For only
 * from the proxies TRUST_PROXY names.
 *
 * In memory per API process: with N replicas an attacker gets N times the budget, still far
 * below what a password guess needs; move to RateLimiterPostgres if that matters.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;
  private readonly mailPerAccount: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.perAccount = new RateLimiterMemory({ keyPrefix: 'login-account', points: config.loginMaxAttempts, duration: config.loginWindowSeconds });
    this.perAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: config.loginMaxAttempts * 20, duration: config.loginWindowSeconds });
    this.mailPerAccount = new RateLimiterMemory({ keyPrefix: 'account-mail', points: MAIL_REQUESTS_PER_WINDOW, duration: config.loginWindowSeconds });
  }

  /** Spends one attempt of the account and of the address; throws TOO_MANY_REQUESTS when either is spent. */
  async consumeAttempt(email: string, ip: string): Promise<void> {
    await consumeOrRefuse(this.perAddress, ip);
    await consumeOrRefuse(this.perAccount, email);
  }

  /** After a successful login: its attempt is given back, and the account's failures are forgiven. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await Promise.all([this.perAccount.delete(email), this.perAddress.reward(ip, 1)]);
  }

  /** Spends one e-mail (reset, verification) to an address; false when its budget is spent. */
  async allowMail(email: string): Promise<boolean> {
    try {
      await this.mailPerAccount.consume(email);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }
}

async function consumeOrRefuse(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new TooManyRequestsError(Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}
