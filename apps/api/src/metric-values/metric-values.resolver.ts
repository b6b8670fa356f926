import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AgencyStaff, ApiKeyAccess } from '../auth/auth.guard';
import { MetricImportsArgs, RecordMetricValuesInput } from './dto/metric-value.inputs';
import { MetricImportConnection, MetricValuesRecorded } from './metric-import.model';
import { MetricValuesService } from './metric-values.service';

@Resolver()
export class MetricValuesResolver {
  constructor(private readonly metricValues: MetricValuesService) {}

  @AgencyStaff()
  @ApiKeyAccess('METRICS_WRITE')
  @Mutation(() => MetricValuesRecorded, {
    description:
      'Records metric values for a client: all or nothing; a value already stored for the same metric, date, source, channel and campaign ' +
      'is replaced. A value without a channel takes its source’s (the client’s choice, else the default guessed from its name). ' +
      'Every invalid value is reported in BAD_USER_INPUT `extensions.fields` as `values.<index>.<field>`.',
  })
  recordMetricValues(@Args('input', { type: () => RecordMetricValuesInput }) input: RecordMetricValuesInput): Promise<MetricValuesRecorded> {
    return this.metricValues.record(input);
  }

  @AgencyStaff()
  @Query(() => MetricImportConnection, { description: 'Imports of metric values for a client (API calls and CSV files), newest first.' })
  metricImports(@Args() args: MetricImportsArgs): Promise<MetricImportConnection> {
    return this.metricValues.listImports(args);
  }
}
