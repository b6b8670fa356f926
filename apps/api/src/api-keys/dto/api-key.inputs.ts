import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDate, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '@pilotage/database';
import { IsNotBlank, IsPlainText } from '../../common/validators';
import { ApiKeyScopeEnum } from '../api-key.model';

/** Clients one key may be limited to: more is an agency-wide key. */
export const MAX_API_KEY_CLIENTS = 100;

@InputType({ description: 'A new API key (owners only).' })
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for ("n8n Google Ads sync"), 1–100 characters.' })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  @IsPlainText()
  @IsNotBlank()
  name!: string;

  @Field(() => [ApiKeyScopeEnum], { description: 'What the key may do: at least one scope.' })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must hold at least one scope' })
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  @IsIn(API_KEY_SCOPES, { each: true, message: `each scope must be one of ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];

  @Field(() => [ID], {
    nullable: true,
    description: `The only clients the key may reach (1–${MAX_API_KEY_CLIENTS}, each an active client of the agency); omit for every client.`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'clientIds must hold at least one client id; omit it for every client' })
  @ArrayMaxSize(MAX_API_KEY_CLIENTS)
  @ArrayUnique({ message: 'clientIds must not repeat a client' })
  @IsUUID('all', { each: true, message: 'each of clientIds must be the id of a client' })
  clientIds?: string[];

  @Field(() => Date, { nullable: true, description: 'When the key stops working (in the future); omit for a key that does not expire.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date;
}
