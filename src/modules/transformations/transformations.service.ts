import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from 'src/core/audit/audit.service';
import { type AuthenticatedUser, ownerScope } from 'src/core/auth';
import { NotFoundError } from 'src/core/errors/app-error';
import { JobsService } from 'src/core/jobs';
import { DatasetRecordsService } from '../datasets/dataset-records.service';
import {
  type ColumnSchema,
  type PipelineWarning,
  PipelineValidationError,
  type Step,
  validatePipeline,
} from './engine';
import type { PreviewRequestDto, PipelineOnVersionDto } from './dto/pipeline-request.dto';
import type {
  PreviewResponseDto,
  TransformationRunDto,
  ValidationResponseDto,
} from './dto/transformation-responses.dto';
import { pipelineHash } from './pipeline-hash';
import { PreviewService } from './preview/preview.service';
import {
  type RunRecord,
  TransformationRunsRepository,
} from './runs/transformation-runs.repository';
import type { RunRecipeRef } from './schemas/transformation-run.schema';
import { invalidPipeline, needsConfirmation } from './transformations.errors';
import { TRANSFORMATIONS_OPTIONS, type TransformationsOptions } from './transformations.options';
import { type ReadyVersion, VersionLookupService } from './version-lookup.service';

const DEFAULT_PREVIEW_ROWS = 50;

export function toRunDto(run: RunRecord, duplicate = false): TransformationRunDto {
  const report = run.reportJson
    ? (JSON.parse(run.reportJson) as { warnings: PipelineWarning[] })
    : undefined;
  return {
    id: run.id,
    datasetId: run.datasetId,
    parentVersionId: run.parentVersionId,
    parentVersion: run.parentVersionNumber,
    state: run.state,
    pipelineHash: run.pipelineHash,
    steps: JSON.parse(run.stepsJson) as Record<string, unknown>[],
    recipe: run.recipe,
    jobId: run.jobId,
    job: run.jobId ? `/api/v1/jobs/${run.jobId}` : undefined,
    versionId: run.versionId,
    version: run.versionNumber,
    duplicate,
    warnings: report?.warnings ?? [],
    fitted: run.fittedJson ? (JSON.parse(run.fittedJson) as Record<string, unknown>) : undefined,
    timings: run.timings,
    failureReason: run.failureReason,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}

/** Static validation; a PipelineValidationError becomes a 400 naming `steps[i].field`. */
export function validateOrThrow(
  steps: unknown,
  columns: ColumnSchema[],
): { steps: Step[]; schemas: ColumnSchema[][] } {
  try {
    return validatePipeline(steps, columns);
  } catch (error) {
    if (error instanceof PipelineValidationError) throw invalidPipeline(error);
    throw error;
  }
}

/** Validate, preview and apply pipelines; list and read their runs. */
@Injectable()
export class TransformationsService {
  constructor(
    private readonly lookup: VersionLookupService,
    private readonly preview: PreviewService,
    private readonly runs: TransformationRunsRepository,
    private readonly records: DatasetRecordsService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    @Inject(TRANSFORMATIONS_OPTIONS) private readonly options: TransformationsOptions,
  ) {}

  async validate(
    user: AuthenticatedUser,
    dto: PipelineOnVersionDto,
  ): Promise<ValidationResponseDto> {
    const { version } = await this.lookup.ready(user, dto.datasetId, dto.version);
    const { schemas } = validateOrThrow(dto.steps, version.columns);
    return { valid: true, schemas };
  }

  async previewPipeline(
    user: AuthenticatedUser,
    dto: PreviewRequestDto,
  ): Promise<PreviewResponseDto> {
    const { dataset, version } = await this.lookup.ready(user, dto.datasetId, dto.version);
    validateOrThrow(dto.steps, version.columns); // cheap, and fails before any data is read
    const limit = Math.min(dto.limit ?? DEFAULT_PREVIEW_ROWS, this.options.previewMaxRows);
    const outcome = await this.preview.run(version, dto.steps, {
      limit,
      confirmed: dto.confirm === true,
    });
    return {
      datasetId: dataset.id,
      versionId: version.id,
      version: version.number,
      sample: outcome.sample,
      steps: outcome.report.steps,
      columns: outcome.fitted.output,
      rows: outcome.rows,
      warnings: outcome.report.warnings,
      needsConfirmation: outcome.report.warnings.some((w) => w.code === 'majority_rows_dropped'),
      fitted: outcome.fitted as unknown as Record<string, unknown>,
      elapsedMs: Math.round(outcome.elapsedMs * 10) / 10,
    };
  }

  /**
   * Starts applying a pipeline as a job, or returns the earlier run of the same steps on the same
   * version (`duplicate: true`). A pipeline that drops most rows of the preview sample needs
   * `confirm`; the worker checks again on the whole version.
   */
  async apply(
    user: AuthenticatedUser,
    dto: PipelineOnVersionDto,
    recipe?: RunRecipeRef,
  ): Promise<{ run: TransformationRunDto; created: boolean }> {
    const target = await this.lookup.ready(user, dto.datasetId, dto.version);
    const { steps } = validateOrThrow(dto.steps, target.version.columns);
    const hash = pipelineHash(steps);
    const earlier = await this.earlierRun(target, hash);
    if (earlier) return { run: toRunDto(earlier, true), created: false };
    const confirmed = dto.confirm === true;
    if (!confirmed) {
      const check = await this.preview.run(target.version, steps, { limit: 0, confirmed });
      if (check.report.blocked) throw needsConfirmation(check.report.warnings);
    }
    const run = await this.runs.insert({
      ownerId: target.dataset.ownerId,
      datasetId: target.dataset.id,
      parentVersionId: target.version.id,
      parentVersionNumber: target.version.number,
      pipelineHash: hash,
      stepsJson: JSON.stringify(steps),
      confirmed,
      recipe,
      state: 'running',
      createdBy: user.id,
      createdAt: new Date(),
    });
    if (!run) {
      // Someone applied the same pipeline a moment ago: answer with that run.
      const raced = await this.runs.findByPipeline(target.version.id, hash);
      if (raced) return { run: toRunDto(raced, true), created: false };
      throw new Error('transformation run vanished after a duplicate-key insert');
    }
    try {
      const job = await this.jobs.enqueue(
        'transformation.apply',
        target.dataset.ownerId,
        { runId: run.id },
        { jobId: `transformation-apply-${run.id}` },
      );
      await this.runs.setJob(run.id, job._id);
      run.jobId = job._id;
    } catch (error) {
      // No job will ever run it: remove the run so the same pipeline can be applied later.
      await this.runs.markFailed(run.id, `could not be queued: ${(error as Error).message}`);
      await this.runs.deleteFailed(run.id);
      throw error;
    }
    await this.audit.record({
      action: 'transformation.apply',
      userId: user.id,
      actorEmail: user.email,
      target: run.id,
      details: {
        datasetId: target.dataset.id,
        versionId: target.version.id,
        pipelineHash: hash,
        steps: steps.length,
        recipe: recipe?.id,
      },
    });
    return { run: toRunDto(run), created: true };
  }

  async getRun(user: AuthenticatedUser, id: string): Promise<TransformationRunDto> {
    const run = await this.runs.findScoped(id, ownerScope(user));
    if (!run) throw new NotFoundError('Transformation run', id);
    return toRunDto(run);
  }

  async listRuns(
    user: AuthenticatedUser,
    query: { datasetId?: string; offset: number; limit: number },
  ): Promise<{ items: TransformationRunDto[]; total: number }> {
    if (query.datasetId) await this.lookup.dataset(user, query.datasetId);
    const { items, total } = await this.runs.list(
      { ...ownerScope(user), ...(query.datasetId ? { datasetId: query.datasetId } : {}) },
      query.offset,
      query.limit,
    );
    return { items: items.map((run) => toRunDto(run)), total };
  }

  /** A ready or running run of the same pipeline on the version; a failed one is cleared. */
  private async earlierRun(target: ReadyVersion, hash: string): Promise<RunRecord | null> {
    const earlier = await this.runs.findByPipeline(target.version.id, hash);
    if (!earlier) return null;
    if (earlier.state === 'running') return earlier;
    if (earlier.state === 'ready' && (await this.records.findVersion(earlier.versionId ?? ''))) {
      return earlier;
    }
    // Failed, or its version has been deleted since: clear it so the pipeline can run again.
    await this.runs.forget(earlier.id);
    return null;
  }
}
