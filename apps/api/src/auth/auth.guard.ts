import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { ApiKeyScope, UserRole } from '@pilotage/database';
import { ForbiddenError, UnauthenticatedError } from '@pilotage/common';
import type { AuthenticatedRequest } from './tenant-context.middleware';
import type { Principal } from './principal';

const PUBLIC = 'pilotage:public';
const ROLES = 'pilotage:roles';
const API_KEY_SCOPE = 'pilotage:api-key-scope';

/** The operation needs no authentication (signUp, login, acceptInvitation). */
export const Public = (): MethodDecorator => SetMetadata(PUBLIC, true);

/** Only these roles may run the operation (default: any authenticated user). */
export const Roles = (...roles: UserRole[]): MethodDecorator => SetMetadata(ROLES, roles);

/** Agency staff: everything a CLIENT_VIEWER may not do. */
export const AgencyStaff = (): MethodDecorator => Roles('OWNER', 'MANAGER');

/**
 * An API key with `scope` may run the operation too. API keys are refused everything else: an
 * operation is closed to machines unless it says so here (users' roles do not apply to keys).
 */
export const ApiKeyAccess = (scope: ApiKeyScope): MethodDecorator => SetMetadata(API_KEY_SCOPE, scope);

function requestOf(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}

/** Global guard: authentication by default, roles when declared, API keys only where an operation admits their scope. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const principal = requestOf(context).principal;
    if (!principal) throw new UnauthenticatedError();
    if (principal.kind === 'API_KEY') {
      const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(API_KEY_SCOPE, targets);
      if (!scope) throw new ForbiddenError('API keys may not do this; sign in as a user');
      if (!principal.scopes.includes(scope)) throw new ForbiddenError(`This API key lacks the ${scope} scope this needs`);
      return true;
    }
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) throw new ForbiddenError();
    return true;
  }
}

/**
 * The signed-in user (the guard guarantees one outside @Public operations, and keeps API keys out
 * of the operations that name a user: none admits a key).
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = requestOf(context).principal;
  if (!principal) throw new UnauthenticatedError();
  if (principal.kind !== 'USER') throw new ForbiddenError('API keys may not do this; sign in as a user');
  return principal;
});
