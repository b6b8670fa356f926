import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { mapKeysetPage, type WebhookDeliveryEntity, type WebhookEndpointEntity } from '@pilotage/database';
import { WebhookEndpointsService } from '@pilotage/events';
import { AgencyStaff, Roles } from '../auth/auth.guard';
import { PageArgs } from '../common/pagination';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveriesArgs } from './webhook.inputs';
import {
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointConnection,
  WebhookEndpointWithSecret,
  WebhookTestResult,
} from './webhook.model';

/**
 * The agency's outbound webhooks. Owners create, change, delete endpoints and rotate their
 * secrets; owners and managers read them, their delivery log, and test-send. Client viewers and
 * API keys: FORBIDDEN. Another agency's endpoint is NOT_FOUND. A secret appears only in the
 * answer of the mutation that made it.
 */
@Resolver(() => WebhookEndpoint)
export class WebhooksResolver {
  constructor(private readonly webhooks: WebhookEndpointsService) {}

  @AgencyStaff()
  @Query(() => WebhookEndpointConnection, { description: 'The agency’s webhook endpoints, newest first (owners and managers).' })
  async webhookEndpoints(@Args() page: PageArgs): Promise<WebhookEndpointConnection> {
    return mapKeysetPage(await this.webhooks.webhookEndpoints(page), toEndpointModel);
  }

  @AgencyStaff()
  @Query(() => WebhookEndpoint, { description: 'One webhook endpoint (owners and managers); NOT_FOUND when it is not one of the agency’s.' })
  async webhookEndpoint(@Args('id', { type: () => ID, description: 'Endpoint id.' }) id: string): Promise<WebhookEndpoint> {
    return toEndpointModel(await this.webhooks.webhookEndpoint(id));
  }

  @ResolveField(() => WebhookDeliveryConnection, { description: 'The endpoint’s delivery log, newest first.' })
  async deliveries(@Parent() endpoint: WebhookEndpoint, @Args() page: WebhookDeliveriesArgs): Promise<WebhookDeliveryConnection> {
    return mapKeysetPage(await this.webhooks.webhookDeliveries(endpoint.id, page), toDeliveryModel);
  }

  @Roles('OWNER')
  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      'Creates an endpoint and its signing secret, returned this once. BAD_USER_INPUT on `url` (not https, credentials in it, too long) or ' +
      '`events` (none); CONFLICT past WEBHOOK_ENDPOINTS_PER_AGENCY endpoints. Owners only.',
  })
  async createWebhookEndpoint(@Args('input') input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    const created = await this.webhooks.createWebhookEndpoint(input);
    return { endpoint: toEndpointModel(created.endpoint), secret: created.secret };
  }

  @Roles('OWNER')
  @Mutation(() => WebhookEndpoint, { description: 'Changes an endpoint’s URL, events, state or description (owners).' })
  async updateWebhookEndpoint(
    @Args('id', { type: () => ID, description: 'Endpoint id.' }) id: string,
    @Args('input') input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    return toEndpointModel(await this.webhooks.updateWebhookEndpoint(id, input));
  }

  @Roles('OWNER')
  @Mutation(() => ID, { description: 'Deletes an endpoint and its delivery log (owners); its pending deliveries are not sent. Returns its id.' })
  async deleteWebhookEndpoint(@Args('id', { type: () => ID, description: 'Endpoint id.' }) id: string): Promise<string> {
    return this.webhooks.deleteWebhookEndpoint(id);
  }

  @Roles('OWNER')
  @Mutation(() => String, {
    description: 'A new signing secret, returned this once and used from now on (retries included); the old one stops signing at once (owners).',
  })
  async rotateWebhookSecret(@Args('id', { type: () => ID, description: 'Endpoint id.' }) id: string): Promise<string> {
    return (await this.webhooks.rotateWebhookSecret(id)).secret;
  }

  @AgencyStaff()
  @Mutation(() => WebhookTestResult, {
    description:
      'Sends a signed synthetic `{ type: "test" }` payload now and says how the receiver answered (owners and managers; works on a disabled endpoint).',
  })
  async testWebhookEndpoint(@Args('id', { type: () => ID, description: 'Endpoint id.' }) id: string): Promise<WebhookTestResult> {
    return this.webhooks.testWebhookEndpoint(id);
  }
}

/** A Slack incoming webhook's URL is its credential: only its origin leaves the server. */
export function toEndpointModel(entity: WebhookEndpointEntity): WebhookEndpoint {
  const url = entity.format === 'SLACK' ? `${new URL(entity.url).origin}/…` : entity.url;
  return {
    id: entity.id,
    url,
    format: entity.format,
    events: entity.events,
    description: entity.description,
    enabled: entity.enabled,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

function toDeliveryModel(entity: WebhookDeliveryEntity): WebhookDelivery {
  return {
    id: entity.id,
    eventId: entity.eventId,
    eventType: entity.eventType,
    status: entity.status,
    attempts: entity.attempts,
    lastStatusCode: entity.lastStatusCode,
    lastError: entity.lastError,
    createdAt: entity.createdAt,
    lastAttemptAt: entity.lastAttemptAt,
    deliveredAt: entity.deliveredAt,
  };
}
