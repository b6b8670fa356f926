import { Args, Query, Resolver } from '@nestjs/graphql';
import { Funnel, KpiSeries, Scorecard } from './analytics.models';
import { AnalyticsService } from './analytics.service';
import { KpiSeriesArgs, MonthArgs, WeekArgs } from './dto/analytics.args';

/** Analytics of one client. A CLIENT_VIEWER reads only their own client's (NOT_FOUND otherwise). */
@Resolver()
export class AnalyticsResolver {
  constructor(private readonly analytics: AnalyticsService) {}

  @Query(() => [KpiSeries], { description: 'KPI values over consecutive periods, computed from the periods’ aggregated metrics.' })
  kpiSeries(@Args() args: KpiSeriesArgs): Promise<KpiSeries[]> {
    return this.analytics.kpiSeries(args);
  }

  @Query(() => Scorecard, { description: 'Every KPI of the active plan over a month: value, target, status, MoM, YoY, YTD, 13-month series.' })
  scorecard(@Args() args: MonthArgs): Promise<Scorecard> {
    return this.analytics.scorecard(args);
  }

  @Query(() => Funnel, { description: 'Stage-to-stage conversion over a month.' })
  funnel(@Args() args: MonthArgs): Promise<Funnel> {
    return this.analytics.funnel(args);
  }

  @Query(() => Scorecard, {
    description:
      'Every KPI of the active plan over an ISO week: value, target (the months’ targets prorated by days for volumes), status, ' +
      'previous week (in mom), same week last year (yoy), year to date, 13-week series.',
  })
  weeklyScorecard(@Args() args: WeekArgs): Promise<Scorecard> {
    return this.analytics.weeklyScorecard(args);
  }

  @Query(() => Funnel, { description: 'Stage-to-stage conversion over an ISO week.' })
  weeklyFunnel(@Args() args: WeekArgs): Promise<Funnel> {
    return this.analytics.weeklyFunnel(args);
  }
}
