import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { KpiPoint, KpiSeries } from './analytics.models';
import { ownTurnOfTheLoop, LONG_SERIES_POINTS } from './event-loop-turns';

/** The points of a series: a long one is completed by GraphQL on a turn of the event loop of its own. */
@Resolver(() => KpiSeries)
export class KpiSeriesResolver {
  // Same description as the model's field: the schema does not change.
  @ResolveField(() => [KpiPoint], { description: 'One point per period, oldest first.' })
  async points(@Parent() series: KpiSeries): Promise<KpiPoint[]> {
    if (series.points.length >= LONG_SERIES_POINTS) await ownTurnOfTheLoop();
    return series.points;
  }
}
