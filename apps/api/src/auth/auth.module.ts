import { Module } from '@nestjs/common';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { TokenService } from './token.service';

@Module({
  providers: [AuthResolver, AuthService, TokenService, LoginRateLimiter],
  exports: [TokenService],
})
export class AuthModule {}
