import {
  Body,
  Controller,
  Get,
  HttpCode,
  MessageEvent,
  Param,
  Post,
  Query,
  Sse,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { type AuthenticatedUser, CurrentUser, isAdmin, Roles } from 'src/core/auth';
import { type Page, pageOf, PageQuery } from 'src/core/http/pagination';
import { JobsService, type JobOwnerScope } from 'src/core/jobs';
import { ApiProblems } from 'src/core/openapi/api-problems.decorator';
import {
  JobDto,
  JobListQuery,
  type JobLogDto,
  JobLogPageDto,
  JobPageDto,
  ProbeJobDto,
  toJobDto,
} from './dto/job.dto';

const scopeOf = (user: AuthenticatedUser): JobOwnerScope =>
  isAdmin(user) ? {} : { ownerId: user.id };

@ApiTags('jobs')
@ApiOAuth2([])
@ApiBearerAuth('api-key')
@Controller({ path: 'jobs', version: '1' })
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOperation({ summary: 'Your background jobs, newest first (filter by kind and state)' })
  @ApiOkResponse({ type: JobPageDto })
  @ApiProblems(400, 401, 429)
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: JobListQuery,
  ): Promise<Page<JobDto>> {
    const { items, total } = await this.jobs.list(
      scopeOf(user),
      { kind: query.kind, state: query.state },
      query.offset,
      query.limit,
    );
    return pageOf(items.map(toJobDto), total, query);
  }

  @Post('probe')
  @Roles('admin')
  @ApiOperation({
    summary: 'Queue a diagnostic job that exercises the worker pipeline (admin only)',
  })
  @ApiProblems(400, 401, 403, 429, 503)
  async probe(@CurrentUser() user: AuthenticatedUser, @Body() dto: ProbeJobDto): Promise<JobDto> {
    return toJobDto(await this.jobs.enqueue('system.probe', user.id, { ...dto }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A job: state, stage, progress, ETA, timings, result links or error' })
  @ApiOkResponse({ type: JobDto })
  @ApiProblems(401, 404, 429)
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<JobDto> {
    return toJobDto(await this.jobs.get(scopeOf(user), id));
  }

  @Sse(':id/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: "Server-sent events of the job's progress and state, ending when it ends",
  })
  @ApiOkResponse({ description: 'event: progress | end, data: the job' })
  @ApiProblems(401, 404, 429)
  async events(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<Observable<MessageEvent>> {
    await this.jobs.get(scopeOf(user), id); // 404 before the stream starts
    return this.jobs
      .events(scopeOf(user), id)
      .pipe(map(({ type, data }) => ({ type, data: toJobDto(data) })));
  }

  @Get(':id/logs')
  @ApiOperation({ summary: "The job's log lines, oldest first" })
  @ApiOkResponse({ type: JobLogPageDto })
  @ApiProblems(400, 401, 404, 429)
  async logs(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() page: PageQuery,
  ): Promise<Page<JobLogDto>> {
    const { items, total } = await this.jobs.logs(scopeOf(user), id, page.offset, page.limit);
    return pageOf(items, total, page);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Cancel a job: queued ones at once, running ones at their next checkpoint',
  })
  @ApiOkResponse({ type: JobDto })
  @ApiProblems(401, 404, 409, 429)
  async cancel(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<JobDto> {
    return toJobDto(await this.jobs.cancel(scopeOf(user), id));
  }
}
