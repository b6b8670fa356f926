import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS, type WebhookEventType, type WebhookFormat } from '@pilotage/database';
import { IsPlainText } from '../common/validators';
import { PageArgs } from '../common/pagination';
import { WebhookEventTypeEnum, WebhookFormatEnum } from './webhook.model';

@InputType({ description: 'A new webhook endpoint (owners).' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'Where to POST: https (http only where the server allows private networks, never in production); no credentials in it.' })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @Field(() => WebhookFormatEnum, { defaultValue: 'JSON', description: 'What to send.' })
  @IsIn(WEBHOOK_FORMATS, { message: `format must be one of ${WEBHOOK_FORMATS.join(', ')}` })
  format: WebhookFormat = 'JSON';

  @Field(() => [WebhookEventTypeEnum], { description: 'The events to send (at least one).' })
  @ArrayMinSize(1, { message: 'events must name at least one event type' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events!: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'What the endpoint is for (at most 500 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  description?: string | null;
}

@InputType({ description: 'Changes to a webhook endpoint (owners); omitted fields stay.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true, description: 'A new URL (same rules as at creation).' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string | null;

  @Field(() => [WebhookEventTypeEnum], { nullable: true, description: 'The new set of events (at least one).' })
  @IsOptional()
  @ArrayMinSize(1, { message: 'events must name at least one event type' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Enables or disables it.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'A new description; an empty one clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  description?: string | null;
}

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {}

@ArgsType()
export class WebhookEndpointIdArgs {
  @Field(() => ID, { description: 'Endpoint id.' })
  @IsString()
  @MaxLength(100)
  id!: string;
}
