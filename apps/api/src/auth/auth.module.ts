import { Module } from '@nestjs/common';
import { AccountTokenService } from './account-token.service';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { AccountMailer } from './account.mailer';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordPolicy } from './password-policy';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

@Module({
  providers: [
    AuthResolver,
    AuthService,
    AccountsResolver,
    AccountsService,
    AccountTokenService,
    AccountMailer,
    TokenService,
    SessionService,
    LoginRateLimiter,
    PasswordPolicy,
    ApiKeyAuthenticator,
  ],
  exports: [TokenService, SessionService, ApiKeyAuthenticator],
})
export class AuthModule {}
