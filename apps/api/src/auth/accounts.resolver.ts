import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Roles } from './auth.guard';
import { originOf } from './auth.resolver';
import { AccountsService } from './accounts.service';
import { ChangeEmailInput, ChangePasswordInput, ChangeUserRoleInput, SessionsFilterInput } from './dto/account.inputs';
import type { Principal } from './principal';
import type { AuthenticatedRequest } from './tenant-context.middleware';
import { Session, User } from './user.model';

@Resolver()
export class AccountsResolver {
  constructor(private readonly accounts: AccountsService) {}

  @Mutation(() => Boolean, { description: 'Changes the signed-in user’s password (needs the current one); every other session ends.' })
  async changePassword(
    @Args('input') input: ChangePasswordInput,
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: AuthenticatedRequest,
  ): Promise<boolean> {
    await this.accounts.changePassword(principal, input, originOf(req));
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      'Asks to change the signed-in user’s e-mail address (needs the current password): a link is e-mailed to the new address, which takes effect through verifyEmail.',
  })
  async changeEmail(
    @Args('input') input: ChangeEmailInput,
    @CurrentPrincipal() principal: Principal,
    @Context('req') req: AuthenticatedRequest,
  ): Promise<boolean> {
    await this.accounts.changeEmail(principal, input, originOf(req));
    return true;
  }

  @Roles('OWNER', 'MANAGER')
  @Query(() => [User], { description: 'The agency’s users (at most 500), oldest first.' })
  users(@CurrentPrincipal() principal: Principal): Promise<User[]> {
    return this.accounts.users(principal);
  }

  @Query(() => [Session], { description: 'Live sessions of the signed-in user, or of another user of the agency (owners only), most recently used first.' })
  sessions(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => SessionsFilterInput, nullable: true, description: 'Whose sessions (default: the signed-in user’s).' })
    filter?: SessionsFilterInput,
  ): Promise<Session[]> {
    return this.accounts.sessionsOf(principal, filter?.userId);
  }

  @Mutation(() => Boolean, { description: 'Ends a session at once: one’s own, or any of the agency’s for an owner.' })
  async revokeSession(@Args('id', { type: () => ID, description: 'Session id.' }) id: string, @CurrentPrincipal() principal: Principal): Promise<boolean> {
    await this.accounts.revokeSession(principal, id);
    return true;
  }

  @Roles('OWNER')
  @Mutation(() => Boolean, { description: 'Removes a user from the agency; their sessions end at once. The last owner cannot be removed.' })
  async removeUser(@Args('id', { type: () => ID, description: 'User id.' }) id: string, @CurrentPrincipal() principal: Principal): Promise<boolean> {
    await this.accounts.removeUser(principal, id);
    return true;
  }

  @Roles('OWNER')
  @Mutation(() => User, { description: 'Changes a user’s role; their next request has it. The last owner cannot be demoted.' })
  changeUserRole(@Args('input') input: ChangeUserRoleInput, @CurrentPrincipal() principal: Principal): Promise<User> {
    return this.accounts.changeUserRole(principal, input);
  }
}
