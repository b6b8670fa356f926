import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { currentTenant } from '@pilotage/database';
import { MonthArgs } from '../analytics/dto/analytics.args';
import { AgencyStaff } from '../auth/auth.guard';
import type { GraphqlContext } from '../common/graphql-context';
import { TargetStatus } from '../analytics/analytics.models';
import { ReportsArgs, UpdateReportCommentaryInput } from './dto/report.inputs';
import { ReportDownloadService } from './report-download.service';
import { toReportModel } from './report.mapper';
import { Report, ReportConnection, ReportDownloadUrl, ReportPreview, ReportRestatement } from './report.model';
import { ReportDeliveryService, ReportRendererService, ReportSnapshotAssembler, ReportsService } from '@pilotage/report-production';

const TARGET_STATUSES: ReadonlySet<string> = new Set(Object.values(TargetStatus));

/** A status column as the GraphQL enum; null for none (the detector only writes the KPI engine's statuses). */
function targetStatus(value: string | null): TargetStatus | null {
  if (value === null) return null;
  if (!TARGET_STATUSES.has(value)) throw new Error(`Unknown KPI status "${value}" in report_restatements`);
  return value as TargetStatus;
}

/**
 * Reports of a client. Another agency's report, or for a CLIENT_VIEWER another client's or one
 * not yet approved, is NOT_FOUND. Viewers read and download; only agency staff edit, approve,
 * send and preview.
 */
@Resolver(() => Report)
export class ReportsResolver {
  constructor(
    private readonly reportsService: ReportsService,
    private readonly deliveries: ReportDeliveryService,
    private readonly downloads: ReportDownloadService,
    private readonly assembler: ReportSnapshotAssembler,
    private readonly renderer: ReportRendererService,
  ) {}

  @Query(() => Report, { description: 'One report.' })
  async report(@Args('id', { type: () => ID, description: 'Report id.' }) id: string): Promise<Report> {
    return toReportModel(await this.reportsService.get(id));
  }

  @Query(() => ReportConnection, { description: 'A client’s reports, newest first (client viewers: approved and sent ones only).' })
  async reports(@Args() args: ReportsArgs): Promise<ReportConnection> {
    const page = await this.reportsService.list(args);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toReportModel(edge.node) })) };
  }

  @AgencyStaff()
  @Query(() => ReportPreview, {
    description: 'The monthly report of a client rendered from the current figures, without saving anything: its HTML and a PNG of its first page.',
  })
  async reportPreview(@Args() args: MonthArgs): Promise<ReportPreview> {
    const snapshot = await this.assembler.assemble({
      clientId: args.clientId,
      kind: 'MONTHLY',
      periodStart: `${args.month}-01`,
      authorUserId: currentTenant().userId,
      locale: args.locale,
    });
    const preview = await this.renderer.preview(snapshot);
    return { html: preview.html, pngBase64: preview.png.toString('base64') };
  }

  @Query(() => ReportDownloadUrl, { description: 'A link to download the report’s PDF, valid for a few minutes.' })
  reportDownloadUrl(@Args('id', { type: () => ID, description: 'Report id.' }) id: string): Promise<ReportDownloadUrl> {
    return this.downloads.createUrl(id);
  }

  @AgencyStaff()
  @Mutation(() => Report, {
    description:
      'Edits the manager’s commentary, per-KPI commentary or narrative of a READY or FAILED report and renders the same version again ' +
      'from its frozen figures (the report is READY again, or FAILED with its error). Approved reports are final.',
  })
  async updateReportCommentary(@Args('input') input: UpdateReportCommentaryInput): Promise<Report> {
    return toReportModel(await this.reportsService.updateCommentary(input));
  }

  @AgencyStaff()
  @Mutation(() => Report, { description: 'Approves a READY report: its PDF is final and can be sent to the client.' })
  async approveReport(@Args('id', { type: () => ID, description: 'Report id.' }) id: string): Promise<Report> {
    return toReportModel(await this.reportsService.approve(id));
  }

  @AgencyStaff()
  @Mutation(() => Report, { description: 'E-mails an APPROVED report’s PDF to the client’s report recipients, in the client’s language.' })
  async sendReport(@Args('id', { type: () => ID, description: 'Report id.' }) id: string): Promise<Report> {
    return toReportModel(await this.deliveries.send(id));
  }

  @AgencyStaff()
  @Mutation(() => Report, {
    description:
      'A new version of a READY, APPROVED or SENT report (the latest of its period), assembled from current values: its PDF opens with the ' +
      'corrections since the version it corrects (KPI, old value, new value, date found). Returns the new version, READY (or FAILED with its error).',
  })
  async createCorrectedReportVersion(@Args('reportId', { type: () => ID, description: 'The report version to correct.' }) reportId: string): Promise<Report> {
    return toReportModel(await this.reportsService.createCorrectedVersion(reportId));
  }

  @ResolveField(() => [ReportRestatement], {
    description:
      'What later values changed in this report’s figures, oldest first (batched per request). Client viewers see them only when their client’s settings let them see alerts.',
  })
  async restatements(@Parent() report: Report, @Context() context: GraphqlContext): Promise<ReportRestatement[]> {
    const views = await context.loaders.get('restatementsByReport', (ids) => this.reportsService.restatements(ids)).load(report.id);
    return views.map(({ restatement, kpiName }) => ({
      id: restatement.id,
      kpiKey: restatement.kpiKey,
      kpiName,
      oldValue: restatement.oldValue === null ? null : Number(restatement.oldValue),
      newValue: restatement.newValue === null ? null : Number(restatement.newValue),
      oldStatus: targetStatus(restatement.oldStatus),
      newStatus: targetStatus(restatement.newStatus),
      importId: restatement.importId,
      detectedAt: restatement.detectedAt,
    }));
  }

  @ResolveField(() => [String], { description: 'The narrative drafted from the report’s frozen figures, in the client’s language (batched per request).' })
  draftedNarrative(@Parent() report: Report, @Context() context: GraphqlContext): Promise<string[]> {
    return context.loaders.get('draftedNarrativeByReport', (ids) => this.reportsService.draftedNarratives(ids)).load(report.id);
  }
}
