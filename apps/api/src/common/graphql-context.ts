import type { AuthenticatedRequest } from '../auth/tenant-context.middleware';
import type { RequestLoaders } from './request-loaders';

/** What every resolver receives as GraphQL context. Built fresh for each request. */
export interface GraphqlContext {
  readonly req: AuthenticatedRequest;
  readonly loaders: RequestLoaders;
}
