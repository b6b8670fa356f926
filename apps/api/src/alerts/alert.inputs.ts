import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ALERT_RULES, ALERT_SENSITIVITIES, ALERT_STATUSES, type AlertRule, type AlertSensitivity, type AlertStatus } from '@pilotage/database';
import { PageArgs } from '../common/pagination';
import { AlertRuleEnum, AlertSensitivityEnum, AlertStatusEnum } from './alert.model';

@ArgsType()
export class AlertsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this client’s alerts (all the agency’s clients when absent; a viewer: its own client).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientId?: string;

  @Field(() => AlertStatusEnum, { nullable: true, description: 'Only alerts in this status.' })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @Field(() => AlertRuleEnum, { nullable: true, description: 'Only alerts of this rule.' })
  @IsOptional()
  @IsIn(ALERT_RULES)
  rule?: AlertRule;

  @Field(() => String, { nullable: true, description: 'Only alerts of this KPI.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  kpiKey?: string;
}

@InputType({ description: 'A change of a client’s alert setting (owners and managers); what is absent keeps its value.' })
export class UpdateAlertSettingsInput {
  @Field(() => ID, { description: 'The client.' })
  @IsString()
  @MaxLength(100)
  clientId!: string;

  @Field(() => String, { nullable: true, description: 'The KPI; absent for the client’s default. BAD_USER_INPUT for a KPI the agency does not know.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  kpiKey?: string;

  @Field(() => Boolean, { nullable: true, description: 'Mute (no new alert) or unmute.' })
  @IsOptional()
  @IsBoolean()
  muted?: boolean;

  @Field(() => AlertSensitivityEnum, { nullable: true, description: 'LOW, NORMAL or HIGH.' })
  @IsOptional()
  @IsIn(ALERT_SENSITIVITIES, { message: `sensitivity must be one of ${ALERT_SENSITIVITIES.join(', ')}` })
  sensitivity?: AlertSensitivity;
}
