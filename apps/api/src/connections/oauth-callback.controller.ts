import { Controller, Get, Inject, Logger, Query, Req, Res, type OnModuleInit } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { AppError } from '@pilotage/common';
import { ConnectionsService, type AuthorizationOutcome } from '@pilotage/connectors';
import { Public } from '../auth/auth.guard';
import { CALLBACK_PAGE_HEADERS, callbackPage } from './oauth-callback.page';

/** The route of the OAuth redirect URL (OAUTH_REDIRECT_URL must end with it: the platforms send the account owner there). */
export const OAUTH_CALLBACK_PATH = '/oauth/callback';

/**
 * Callbacks one address may make per minute. The route is unauthenticated and each call is a
 * database transaction (and maybe a call to the platform): a person connecting accounts needs a
 * handful, a script guessing states is cut short (a state carries 256 random bits anyway).
 */
export const OAUTH_CALLBACKS_PER_MINUTE = 60;

const STATUS_BY_OUTCOME: Readonly<Record<AuthorizationOutcome['kind'], number>> = { CONNECTED: 200, DECLINED: 200, REFUSED: 400 };

/** A query parameter as one string, or null (absent, repeated or not text). */
function single(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * `GET /oauth/callback`: where the platform sends the account owner back after consent, with
 * `code` and `state` (or `error`). Public: the `state` is the credential. Answers a small page in
 * French and English; never echoes the code, the state or a token.
 */
@Controller()
export class OAuthCallbackController implements OnModuleInit {
  private readonly logger = new Logger(OAuthCallbackController.name);
  private readonly perAddress = new RateLimiterMemory({ keyPrefix: 'oauth-callback', points: OAUTH_CALLBACKS_PER_MINUTE, duration: 60 });

  constructor(
    private readonly connections: ConnectionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Fails the boot when the redirect URL registered with the platforms would land elsewhere. */
  onModuleInit(): void {
    const path = new URL(this.config.connectors.redirectUrl).pathname.replace(/\/+$/, '');
    if (path !== OAUTH_CALLBACK_PATH) {
      throw new Error(`OAUTH_REDIRECT_URL must end with ${OAUTH_CALLBACK_PATH} (the API serves the callback there), not ${path || '/'}`);
    }
  }

  @Public()
  @Get(OAUTH_CALLBACK_PATH)
  async callback(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.set(CALLBACK_PAGE_HEADERS);
    try {
      await this.perAddress.consume(req.ip ?? 'unknown');
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      res.set('Retry-After', String(retryAfter));
      res.status(429).send(callbackPage({ kind: 'REFUSED', reason: `Too many attempts from this address; retry in ${retryAfter} s` }));
      return;
    }
    let outcome: AuthorizationOutcome;
    try {
      outcome = await this.connections.completeAuthorization({ state: single(query.state), code: single(query.code), error: single(query.error) });
    } catch (error) {
      // Only our coded errors have messages meant for users; anything else is logged by class, never with the request.
      if (!(error instanceof AppError)) this.logger.error(`OAuth callback failed: ${error instanceof Error ? error.name : 'unknown error'}`);
      outcome = {
        kind: 'REFUSED',
        reason: error instanceof AppError ? error.message : 'The server could not complete the connection; try the link again later',
      };
    }
    res.status(STATUS_BY_OUTCOME[outcome.kind]).send(callbackPage(outcome));
  }
}
