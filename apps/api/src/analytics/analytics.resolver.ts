import { Args, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyAccess } from '../auth/auth.guard';
import { Funnel, KpiSeries, Scorecard } from './analytics.models';
import { AnalyticsService } from '@pilotage/analytics';
import { toFunnelModel, toKpiSeriesModel, toScorecardModel } from './analytics.mapper';
import { KpiSeriesArgs, MonthBreakdownArgs, WeekBreakdownArgs } from './dto/analytics.args';

/**
 * Analytics of one client. A CLIENT_VIEWER reads only their own client's, an API key with
 * ANALYTICS_READ its clients' (NOT_FOUND otherwise).
 */
@Resolver()
export class AnalyticsResolver {
  constructor(private readonly analytics: AnalyticsService) {}

  @ApiKeyAccess('ANALYTICS_READ')
  @Query(() => [KpiSeries], { description: 'KPI values over consecutive periods, computed from the periods’ aggregated metrics.' })
  async kpiSeries(@Args() args: KpiSeriesArgs): Promise<KpiSeries[]> {
    return (await this.analytics.kpiSeries(args)).map(toKpiSeriesModel);
  }

  @ApiKeyAccess('ANALYTICS_READ')
  @Query(() => Scorecard, { description: 'Every KPI of the active plan over a month: value, target, status, MoM, YoY, YTD, 13-month series.' })
  async scorecard(@Args() args: MonthBreakdownArgs): Promise<Scorecard> {
    return toScorecardModel(await this.analytics.scorecard(args));
  }

  @ApiKeyAccess('ANALYTICS_READ')
  @Query(() => Funnel, {
    description:
      'The funnel of a month as the monthly report shows it: counts of one kind, each a subset of the step above, rates equal to the plan’s conversion KPIs, revenue apart.',
  })
  async funnel(@Args() args: MonthBreakdownArgs): Promise<Funnel> {
    return toFunnelModel(await this.analytics.funnel(args));
  }

  @ApiKeyAccess('ANALYTICS_READ')
  @Query(() => Scorecard, {
    description:
      'Every KPI of the active plan over an ISO week: value, target (the months’ targets prorated by days for volumes), status, ' +
      'previous week (in mom), same week last year (yoy), year to date, 13-week series.',
  })
  async weeklyScorecard(@Args() args: WeekBreakdownArgs): Promise<Scorecard> {
    return toScorecardModel(await this.analytics.weeklyScorecard(args));
  }

  @ApiKeyAccess('ANALYTICS_READ')
  @Query(() => Funnel, { description: 'The funnel of an ISO week, as the weekly report shows it (see `funnel`).' })
  async weeklyFunnel(@Args() args: WeekBreakdownArgs): Promise<Funnel> {
    return toFunnelModel(await this.analytics.weeklyFunnel(args));
  }
}
