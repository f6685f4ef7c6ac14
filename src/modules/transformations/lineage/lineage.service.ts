import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/core/audit/audit.service';
import { type AuthenticatedUser } from 'src/core/auth';
import { NotFoundError } from 'src/core/errors/app-error';
import { JobsService } from 'src/core/jobs';
import { DatasetRecordsService } from '../../datasets/dataset-records.service';
import { TransformationRunsRepository } from '../runs/transformation-runs.repository';
import { VersionLookupService } from '../version-lookup.service';
import type { ReproductionRecord } from './reproductions.repository';
import { ReproductionsRepository } from './reproductions.repository';
import {
  type DrawableGraph,
  layoutGraph,
  type LineageEdge,
  type LineageNode,
  renderGraphSvg,
} from './lineage-graph';

const MAX_VERSIONS = 10_000;

export interface LineageView {
  datasetId: string;
  name: string;
  currentVersionId: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export interface ReproductionView {
  id: string;
  datasetId: string;
  versionId: string;
  version: number;
  state: string;
  matches?: boolean;
  expectedHash?: string;
  actualHash?: string;
  chain?: ReproductionRecord['chain'];
  failureReason?: string;
  jobId?: string;
  job?: string;
  createdAt: Date;
  finishedAt?: Date;
}

export function toReproductionView(r: ReproductionRecord): ReproductionView {
  return {
    id: r.id,
    datasetId: r.datasetId,
    versionId: r.versionId,
    version: r.versionNumber,
    state: r.state,
    matches: r.matches,
    expectedHash: r.expectedHash,
    actualHash: r.actualHash,
    chain: r.chain,
    failureReason: r.failureReason,
    jobId: r.jobId,
    job: r.jobId ? `/api/v1/jobs/${r.jobId}` : undefined,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

/** How each version of a dataset was made: the version graph, drawn, and reproducible. */
@Injectable()
export class LineageService {
  constructor(
    private readonly lookup: VersionLookupService,
    private readonly records: DatasetRecordsService,
    private readonly runs: TransformationRunsRepository,
    private readonly reproductions: ReproductionsRepository,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
  ) {}

  async lineage(user: AuthenticatedUser, datasetId: string): Promise<LineageView> {
    const dataset = await this.lookup.dataset(user, datasetId);
    const { items } = await this.records.listVersions(dataset.id, 0, MAX_VERSIONS);
    const runs = new Map(
      (
        await this.runs.findByIds(items.flatMap((v) => (v.origin.runId ? [v.origin.runId] : [])))
      ).map((run) => [run.id, run]),
    );
    const nodes: LineageNode[] = items
      .map((v) => ({
        id: v.id,
        version: v.number,
        kind: v.origin.kind,
        status: v.status,
        rowCount: v.rowCount,
        columnCount: v.columnCount,
        contentHash: v.contentHash,
        createdBy: v.createdBy,
        createdAt: v.createdAt,
      }))
      .sort((a, b) => a.version - b.version);
    const edges: LineageEdge[] = items
      .filter((v) => v.parentVersionId)
      .sort((a, b) => a.number - b.number)
      .map((v) => {
        const run = v.origin.runId ? runs.get(v.origin.runId) : undefined;
        return {
          from: v.parentVersionId!,
          to: v.id,
          runId: run?.id,
          pipelineHash: run?.pipelineHash,
          // An uploaded new version has no pipeline: the edge says "replaced by upload".
          steps: run ? (JSON.parse(run.stepsJson) as Record<string, unknown>[]) : [],
          fitted: run?.fittedJson
            ? (JSON.parse(run.fittedJson) as Record<string, unknown>)
            : undefined,
          recipe: run?.recipe,
          createdBy: v.createdBy,
          createdAt: v.createdAt,
        };
      });
    return {
      datasetId: dataset.id,
      name: dataset.name,
      currentVersionId: dataset.currentVersionId,
      nodes,
      edges,
    };
  }

  async graph(
    user: AuthenticatedUser,
    datasetId: string,
  ): Promise<DrawableGraph & { datasetId: string }> {
    const view = await this.lineage(user, datasetId);
    return { datasetId: view.datasetId, ...layoutGraph(view.nodes, view.edges) };
  }

  async svg(user: AuthenticatedUser, datasetId: string): Promise<string> {
    const view = await this.lineage(user, datasetId);
    return renderGraphSvg(layoutGraph(view.nodes, view.edges), `Lineage of ${view.name}`);
  }

  /** Starts rebuilding version `number` from its root upload and recorded pipelines (a job). */
  async reproduce(
    user: AuthenticatedUser,
    datasetId: string,
    number: number,
  ): Promise<ReproductionView> {
    const { dataset, version } = await this.lookup.ready(user, datasetId, number);
    const reproduction = await this.reproductions.create({
      ownerId: dataset.ownerId,
      datasetId: dataset.id,
      versionId: version.id,
      versionNumber: version.number,
      state: 'running',
      createdBy: user.id,
      createdAt: new Date(),
    });
    try {
      const job = await this.jobs.enqueue(
        'lineage.reproduce',
        dataset.ownerId,
        { reproductionId: reproduction.id },
        { jobId: `lineage-reproduce-${reproduction.id}` },
      );
      await this.reproductions.setJob(reproduction.id, job._id);
      reproduction.jobId = job._id;
    } catch (error) {
      await this.reproductions.fail(
        reproduction.id,
        `could not be queued: ${(error as Error).message}`,
      );
      throw error;
    }
    await this.audit.record({
      action: 'lineage.reproduce',
      userId: user.id,
      actorEmail: user.email,
      target: version.id,
      details: { datasetId: dataset.id, reproductionId: reproduction.id },
    });
    return toReproductionView(reproduction);
  }

  async reproduction(
    user: AuthenticatedUser,
    datasetId: string,
    id: string,
  ): Promise<ReproductionView> {
    const dataset = await this.lookup.dataset(user, datasetId);
    const found = await this.reproductions.find(id);
    if (!found || found.datasetId !== dataset.id) throw new NotFoundError('Reproduction', id);
    return toReproductionView(found);
  }
}
