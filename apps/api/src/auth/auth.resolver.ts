import { Args, Context, Field, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';
import { CurrentPrincipal, Public, Roles } from './auth.guard';
import { AuthService, type RequestOrigin } from './auth.service';
import { AccountTokenInput, EmailAddressInput, RefreshSessionInput, ResetPasswordInput } from './dto/account.inputs';
import { AcceptInvitationInput, InviteUserInput, LoginInput, SignUpInput } from './dto/auth.inputs';
import type { Principal } from './principal';
import type { AuthenticatedRequest } from './tenant-context.middleware';
import { AuthPayload, Invitation, SignUpPayload, User } from './user.model';

@ObjectType({ description: 'The signed-in user and their agency.' })
export class Viewer {
  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;

  @Field(() => Agency, { description: 'Their agency.' })
  agency!: Agency;
}

/** The client address (proxy-aware per TRUST_PROXY) and user agent of a request. */
export function originOf(req: AuthenticatedRequest): RequestOrigin {
  const userAgent = req.headers['user-agent'];
  return { ipAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: typeof userAgent === 'string' ? userAgent : null };
}

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => SignUpPayload, {
    description: 'Creates an agency with its owner and e-mails the owner a confirmation link; the owner logs in once the address is confirmed (verifyEmail).',
  })
  signUp(@Args('input') input: SignUpInput): Promise<SignUpPayload> {
    return this.auth.signUp(input);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Confirms an e-mail address (of a sign-up or a change of address) with the e-mailed token, and signs in. Each token works once.',
  })
  verifyEmail(@Args('input') input: AccountTokenInput, @Context('req') req: AuthenticatedRequest): Promise<AuthPayload> {
    return this.auth.verifyEmail(input.token, originOf(req));
  }

  @Public()
  @Mutation(() => Boolean, {
    description: 'E-mails a new confirmation link to an unconfirmed account of this address. Always true: the answer does not say whether one exists.',
  })
  async requestEmailVerification(@Args('input') input: EmailAddressInput): Promise<boolean> {
    await this.auth.requestEmailVerification(input.email);
    return true;
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Signs in with e-mail and password (the agency slug only when they open accounts in several agencies). Every attempt counts against limits per e-mail and per client address, checked before the password.',
  })
  login(@Args('input') input: LoginInput, @Context('req') req: AuthenticatedRequest): Promise<AuthPayload> {
    return this.auth.login(input, originOf(req));
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Trades a refresh token for a new access token and refresh token. A refresh token used twice ends its session (a stolen copy).',
  })
  refreshSession(@Args('input') input: RefreshSessionInput): Promise<AuthPayload> {
    return this.auth.refreshSession(input.refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Ends the session of the request: its access and refresh tokens stop working at once.' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<boolean> {
    await this.auth.logout(principal);
    return true;
  }

  @Public()
  @Mutation(() => Boolean, {
    description: 'E-mails a password-reset link to the accounts of this address. Always true: the answer does not say whether one exists.',
  })
  async requestPasswordReset(@Args('input') input: EmailAddressInput): Promise<boolean> {
    await this.auth.requestPasswordReset(input.email);
    return true;
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Sets a new password with the e-mailed reset token (works once); every session of the user ends.' })
  async resetPassword(@Args('input') input: ResetPasswordInput): Promise<boolean> {
    await this.auth.resetPassword(input);
    return true;
  }

  @Query(() => Viewer, { description: 'The signed-in user and their agency.' })
  me(@CurrentPrincipal() principal: Principal): Promise<Viewer> {
    return this.auth.me(principal);
  }

  @Roles('OWNER', 'MANAGER')
  @Mutation(() => Invitation, { description: 'Invites a person. Owners invite anyone; managers invite client viewers.' })
  inviteUser(@Args('input') input: InviteUserInput): Promise<Invitation> {
    return this.auth.invite(input);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Accepts an invitation, sets the password and signs in.' })
  acceptInvitation(@Args('input') input: AcceptInvitationInput, @Context('req') req: AuthenticatedRequest): Promise<AuthPayload> {
    return this.auth.acceptInvitation(input, originOf(req));
  }
}
