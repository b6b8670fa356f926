import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AgencyStaff } from '../auth/auth.guard';
import { AnnualTargetSplit, Kickoff, KickoffChange, KpiPlan, KpiPlanConnection, KpiRecommendations } from './kickoff.models';
import { KickoffsService } from './kickoffs.service';
import {
  KpiPlanHistoryArgs,
  KpiRecommendationsArgs,
  SelectKickoffKpisInput,
  SetKickoffObjectivesInput,
  SetKickoffTargetsInput,
  SplitKickoffAnnualTargetInput,
  StartKickoffInput,
} from './dto/kickoff.inputs';

@Resolver(() => Kickoff)
export class KickoffsResolver {
  constructor(private readonly kickoffs: KickoffsService) {}

  @AgencyStaff()
  @Query(() => Kickoff, { description: 'One kickoff; NOT_FOUND when it does not exist or is not yours.' })
  kickoff(@Args('id', { type: () => ID, description: 'Kickoff id.' }) id: string): Promise<Kickoff> {
    return this.kickoffs.get(id);
  }

  @AgencyStaff()
  @Query(() => KpiRecommendations, { description: 'KPIs to propose for a kickoff, per funnel stage, best first, with reasons and metrics to import.' })
  kpiRecommendations(@Args() args: KpiRecommendationsArgs): Promise<KpiRecommendations> {
    return this.kickoffs.recommendations(args);
  }

  @Query(() => KpiPlan, { nullable: true, description: 'The client’s active KPI plan, or null. A client viewer may read their own client’s.' })
  kpiPlan(@Args('clientId', { type: () => ID, description: 'Client id.' }) clientId: string): Promise<KpiPlan | null> {
    return this.kickoffs.activePlan(clientId);
  }

  @AgencyStaff()
  @Query(() => KpiPlanConnection, { description: 'Every KPI plan of a client, newest first, superseded ones included.' })
  kpiPlanHistory(@Args() args: KpiPlanHistoryArgs): Promise<KpiPlanConnection> {
    return this.kickoffs.planHistory(args);
  }

  @AgencyStaff()
  @Mutation(() => Kickoff, { description: 'Opens a kickoff for a client.' })
  startKickoff(@Args('input') input: StartKickoffInput): Promise<Kickoff> {
    return this.kickoffs.start(input);
  }

  @AgencyStaff()
  @Mutation(() => KickoffChange, { description: 'Sets the kickoff’s objectives; warns past two (TOO_MANY_OBJECTIVES) or with none.' })
  setKickoffObjectives(@Args('input') input: SetKickoffObjectivesInput): Promise<KickoffChange> {
    return this.kickoffs.setObjectives(input);
  }

  @AgencyStaff()
  @Mutation(() => KickoffChange, { description: 'Replaces the kickoff’s KPIs, each tied to one of its objectives; warns past a dozen.' })
  selectKickoffKpis(@Args('input') input: SelectKickoffKpisInput): Promise<KickoffChange> {
    return this.kickoffs.selectKpis(input);
  }

  @AgencyStaff()
  @Mutation(() => Kickoff, { description: 'Sets monthly targets of the kickoff’s KPIs for the plan’s year.' })
  setKickoffTargets(@Args('input') input: SetKickoffTargetsInput): Promise<Kickoff> {
    return this.kickoffs.setTargets(input);
  }

  @AgencyStaff()
  @Mutation(() => AnnualTargetSplit, { description: 'Splits an annual goal of one KPI into its monthly targets and saves them.' })
  splitKickoffAnnualTarget(@Args('input') input: SplitKickoffAnnualTargetInput): Promise<AnnualTargetSplit> {
    return this.kickoffs.splitAnnualTarget(input);
  }

  @AgencyStaff()
  @Mutation(() => KpiPlan, { description: 'Approves the kickoff: creates the client’s active KPI plan, superseding the previous one.' })
  approveKickoff(@Args('kickoffId', { type: () => ID, description: 'Kickoff id.' }) kickoffId: string): Promise<KpiPlan> {
    return this.kickoffs.approve(kickoffId);
  }
}
