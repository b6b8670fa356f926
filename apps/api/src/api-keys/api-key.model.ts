import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { API_KEY_SCOPES, type ApiKeyScope } from '@pilotage/database';
import { enumObject } from '../common/graphql-enums';
import { Connection } from '../common/pagination';

export const ApiKeyScopeEnum = enumObject<ApiKeyScope>(API_KEY_SCOPES);
registerEnumType(ApiKeyScopeEnum, {
  name: 'ApiKeyScope',
  description:
    'What an API key may do. METRICS_WRITE: record metric values (`recordMetricValues`, `POST /clients/:clientId/metric-imports`). ' +
    'ANALYTICS_READ: `scorecard`, `weeklyScorecard`, `kpiSeries`, `funnel`, `weeklyFunnel`, and `clients` / `client` to find ids. Nothing else.',
});

@ObjectType({ description: 'An agency API key, for machines (an ETL, n8n, a script). Its secret is shown once, at creation, and never again.' })
export class ApiKey {
  @Field(() => ID, { description: 'Key id (audit entries and imports made with the key name it).' })
  id!: string;

  @Field({ description: 'What the key is for, as its creator named it.' })
  name!: string;

  @Field({ description: 'The start of the key, `plk_` and its public id: enough to recognise a leaked key, useless to call the API.' })
  prefix!: string;

  @Field(() => [ApiKeyScopeEnum], { description: 'What the key may do.' })
  scopes!: ApiKeyScope[];

  @Field(() => [ID], { nullable: true, description: 'The only clients the key reaches; null: every client of the agency.' })
  clientIds!: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Owner who created the key. The key belongs to the agency: it keeps working when that user leaves; revoke it then if need be.',
  })
  createdBy!: string | null;

  @Field({ description: 'Creation time.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'After this the key is refused; null: it does not expire.' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last request made with the key (recorded at most once a minute); null: never used.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked (refused from then on); null: not revoked.' })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A new API key and its secret.' })
export class CreatedApiKey {
  @Field(() => ApiKey, { description: 'The key as `apiKeys` lists it.' })
  apiKey!: ApiKey;

  @Field({
    description: 'The whole key, to send as `Authorization: Bearer <secret>`. Shown this once: only its hash is stored, it cannot be read again.',
  })
  secret!: string;
}

@ObjectType({ description: 'A page of API keys, newest first.' })
export class ApiKeyConnection extends Connection(ApiKey, 'ApiKey') {}
