import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { UserRole } from '@pilotage/database';
import { ForbiddenError, UnauthenticatedError } from '@pilotage/common';
import type { AuthenticatedRequest } from './tenant-context.middleware';
import type { Principal } from './principal';

const PUBLIC = 'pilotage:public';
const ROLES = 'pilotage:roles';

/** The operation needs no authentication (signUp, login, acceptInvitation). */
export const Public = (): MethodDecorator => SetMetadata(PUBLIC, true);

/** Only these roles may run the operation (default: any authenticated user). */
export const Roles = (...roles: UserRole[]): MethodDecorator => SetMetadata(ROLES, roles);

/** Agency staff: everything a CLIENT_VIEWER may not do. */
export const AgencyStaff = (): MethodDecorator => Roles('OWNER', 'MANAGER');

function requestOf(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}

/** Global guard: authentication by default, roles when declared. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const principal = requestOf(context).principal;
    if (!principal) throw new UnauthenticatedError();
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) throw new ForbiddenError();
    return true;
  }
}

/** The authenticated principal (the guard guarantees one outside @Public operations). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = requestOf(context).principal;
  if (!principal) throw new UnauthenticatedError();
  return principal;
});
