import { Args, Context, Field, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';
import { CurrentPrincipal, Public, Roles } from './auth.guard';
import { AuthService } from './auth.service';
import { AcceptInvitationInput, InviteUserInput, LoginInput, SignUpInput } from './dto/auth.inputs';
import type { Principal } from './principal';
import type { AuthenticatedRequest } from './tenant-context.middleware';
import { AuthPayload, Invitation, User } from './user.model';

@ObjectType({ description: 'The signed-in user and their agency.' })
export class Viewer {
  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;

  @Field(() => Agency, { description: 'Their agency.' })
  agency!: Agency;
}

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Creates an agency with its owner and signs the owner in.' })
  signUp(@Args('input') input: SignUpInput): Promise<AuthPayload> {
    return this.auth.signUp(input);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Signs in. Failed attempts are rate limited per e-mail and address.' })
  login(@Args('input') input: LoginInput, @Context('req') req: AuthenticatedRequest): Promise<AuthPayload> {
    return this.auth.login(input, req.ip ?? 'unknown');
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
  acceptInvitation(@Args('input') input: AcceptInvitationInput): Promise<AuthPayload> {
    return this.auth.acceptInvitation(input);
  }
}
