import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser } from 'src/core/auth';
import { type Page, pageOf } from 'src/core/http/pagination';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import {
  ApplyRequestDto,
  PipelineOnVersionDto,
  PreviewRequestDto,
} from './dto/pipeline-request.dto';
import { ListRunsDto } from './dto/list-runs.dto';
import {
  PreviewResponseDto,
  TransformationRunDto,
  TransformationRunPageDto,
  ValidationResponseDto,
} from './dto/transformation-responses.dto';
import { TransformationsService } from './transformations.service';

@ApiTags('transformations')
@ApiOAuth2([])
@ApiBearerAuth('api-key')
@Controller({ path: 'transformations', version: '1' })
export class TransformationsController {
  constructor(private readonly transformations: TransformationsService) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a pipeline against a version’s columns without reading data',
    description:
      'Each step’s parameters, the columns it uses at that point of the pipeline and their types. Errors name `steps[i].field`.',
  })
  @ApiOkResponse({ type: ValidationResponseDto })
  @ApiProblems(400, 401, 404, 409, 429)
  validate(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: PipelineOnVersionDto,
  ): Promise<ValidationResponseDto> {
    return this.transformations.validate(user, dto);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a pipeline on a version (or a sample of it) and show the result',
    description:
      'Returns the first rows after the pipeline, the schema and row/column counts after each step, what each step learned, and warnings. Versions larger than TRANSFORM_PREVIEW_SAMPLE_ROWS are previewed on a systematic sample, which the answer describes.',
  })
  @ApiOkResponse({ type: PreviewResponseDto })
  @ApiProblems(400, 401, 404, 409, 429)
  preview(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: PreviewRequestDto,
  ): Promise<PreviewResponseDto> {
    return this.transformations.previewPipeline(user, dto);
  }

  @Post('apply')
  @ApiOperation({
    summary: 'Apply a pipeline to a whole version as a job; the result is a new version',
    description:
      '202 with the run and its job. Applying the same steps to the same version again answers 200 with the earlier run (`duplicate: true`). A pipeline dropping more than half of the rows needs `confirm: true` (422 otherwise).',
  })
  @ApiResponse({ status: 202, type: TransformationRunDto, description: 'Run started' })
  @ApiResponse({
    status: 200,
    type: TransformationRunDto,
    description: 'Same pipeline already applied',
  })
  @ApiProblems(400, 401, 404, 409, 422, 429)
  async apply(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: ApplyRequestDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<TransformationRunDto> {
    const { run, created } = await this.transformations.apply(user, dto);
    res.status(created ? 202 : 200);
    if (run.job) res.header('Location', `/api/v1/transformations/runs/${run.id}`);
    return run;
  }

  @Get('runs')
  @ApiOperation({ summary: 'Your pipeline runs, newest first' })
  @ApiOkResponse({ type: TransformationRunPageDto })
  @ApiProblems(400, 401, 404)
  async runs(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListRunsDto,
  ): Promise<Page<TransformationRunDto>> {
    const { items, total } = await this.transformations.listRuns(user, query);
    return pageOf(items, total, query);
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'One pipeline run: state, steps, produced version, timings, warnings' })
  @ApiOkResponse({ type: TransformationRunDto })
  @ApiProblems(401, 404)
  run(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<TransformationRunDto> {
    return this.transformations.getRun(user, id);
  }
}
