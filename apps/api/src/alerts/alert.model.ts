import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ALERT_RULES,
  ALERT_SENSITIVITIES,
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  type AlertRule,
  type AlertSensitivity,
  type AlertSeverity,
  type AlertStatus,
} from '@pilotage/database';
import { enumObject } from '../common/graphql-enums';
import { Connection } from '../common/pagination';

export const AlertRuleEnum = enumObject<AlertRule>(ALERT_RULES);
registerEnumType(AlertRuleEnum, {
  name: 'AlertRule',
  description:
    'Why an alert opened, derived from the active plan (no threshold to set). STATUS: the KPI is at risk or off track for the month, ' +
    'paced to date. NO_DATA: no value for days where values came every day (a missing day, never a zero). ANOMALY: a day far from ' +
    'the same weekday of the 8 weeks before (median and MAD: a robust score).',
});

export const AlertStatusEnum = enumObject<AlertStatus>(ALERT_STATUSES);
registerEnumType(AlertStatusEnum, {
  name: 'AlertStatus',
  description:
    'OPEN: new. ACKNOWLEDGED: a person took it (`acknowledgeAlert`). RESOLVED: by a person (`resolveAlert`), or by an evaluation once a ' +
    'STATUS or NO_DATA condition no longer holds. A resolved alert does not reopen for the same period.',
});

export const AlertSeverityEnum = enumObject<AlertSeverity>(ALERT_SEVERITIES);
registerEnumType(AlertSeverityEnum, { name: 'AlertSeverity', description: 'CRITICAL: a KPI off track. WARNING: at risk, no data, or an unusual day.' });

export const AlertSensitivityEnum = enumObject<AlertSensitivity>(ALERT_SENSITIVITIES);
registerEnumType(AlertSensitivityEnum, {
  name: 'AlertSensitivity',
  description:
    'LOW: fewer alerts (an unusual day needs a robust score above 5, no data alerts after twice ALERT_NO_DATA_DAYS). NORMAL: score above ' +
    '3.5 (Iglewicz and Hoaglin), ALERT_NO_DATA_DAYS. HIGH: more alerts (score above 2.5, half the days).',
});

@ObjectType({ description: 'An alert of a client: one per rule, KPI and period, with the numbers that triggered it.' })
export class Alert {
  @Field(() => ID, { description: 'Alert id.' })
  id!: string;

  @Field(() => ID, { description: 'The client.' })
  clientId!: string;

  @Field(() => AlertRuleEnum, { description: 'The rule that opened it.' })
  rule!: AlertRule;

  @Field({ description: 'The KPI (catalog or custom key).' })
  kpiKey!: string;

  @Field({ description: 'The period it is about: the month `YYYY-MM` (STATUS), the first day without data (NO_DATA), the day (ANOMALY).' })
  periodKey!: string;

  @Field(() => AlertStatusEnum, { description: 'Where it is.' })
  status!: AlertStatus;

  @Field(() => AlertSeverityEnum, { description: 'How serious.' })
  severity!: AlertSeverity;

  @Field({ description: 'What happened, with the numbers, in the client’s language.' })
  message!: string;

  @Field({
    description:
      'The numbers that triggered it, as a JSON object: value, target and expected-to-date (STATUS); lastDate and missingDays (NO_DATA); ' +
      'value, median, mad, score and sample (ANOMALY); with the unit and the sensitivity used.',
  })
  details!: string;

  @Field({ description: 'When it opened.' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a person acknowledged it.' })
  acknowledgedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'Who acknowledged it.' })
  acknowledgedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was resolved.' })
  resolvedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'Who resolved it; null with a resolvedAt: an evaluation found the condition gone.' })
  resolvedBy!: string | null;

  @Field({ description: 'When an evaluation last confirmed or updated it.' })
  lastEvaluatedAt!: Date;
}

@ObjectType({ description: 'A page of alerts, newest first.' })
export class AlertConnection extends Connection(Alert, 'Alert') {}

@ObjectType({ description: 'A client’s alert setting: for the whole client (`kpiKey` null) or one KPI (which wins over the client’s).' })
export class AlertSetting {
  @Field(() => ID, { description: 'The client.' })
  clientId!: string;

  @Field(() => String, { nullable: true, description: 'The KPI; null for the client’s default.' })
  kpiKey!: string | null;

  @Field({ description: 'No new alert opens (open ones stay). A muted client mutes all its KPIs.' })
  muted!: boolean;

  @Field(() => AlertSensitivityEnum, { description: 'How readily alerts open.' })
  sensitivity!: AlertSensitivity;

  @Field(() => ID, { nullable: true, description: 'Who last changed it.' })
  updatedBy!: string | null;

  @Field({ description: 'When it last changed.' })
  updatedAt!: Date;
}
